"""The public website part: the demo page of the region with the chat widget, and the widget's files.

Any regional site embeds the widget with one script tag pointing at ``/widget.js`` on this service; the
demo page at ``/`` does exactly that, so what is tested here is what other sites get.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from loket.errors import LoketError
from loket.i18n import language_of

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"

# Short enough that a fix to the widget reaches every site within minutes, long enough to spare the server.
ASSET_CACHE = "public, max-age=300"
_CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
# The demo page runs only its own script; the widget builds its DOM through the CSSOM and createElement.
DEMO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

router = APIRouter(tags=["web"])
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _asset(name: str) -> Response:
    path = (STATIC_DIR / name).resolve()
    # resolve() and the parent check keep "../" and symlinks from reaching files outside static/.
    if STATIC_DIR.resolve() not in path.parents or not path.is_file() or path.suffix not in _CONTENT_TYPES:
        raise LoketError(404, "not_found")
    return FileResponse(
        path,
        media_type=_CONTENT_TYPES[path.suffix],
        headers={"Cache-Control": ASSET_CACHE, "X-Content-Type-Options": "nosniff"},
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_page(request: Request) -> Response:
    """The demo page: a plain regional website with the chat widget embedded by one script tag."""
    base = str(request.base_url).rstrip("/")
    response = templates.TemplateResponse(request, "demo.html", {"loket_base": base})
    response.headers["Content-Security-Policy"] = DEMO_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> Response:
    """The embeddable chat widget (plain JavaScript, no build step)."""
    return _asset("widget.js")


@router.get("/widget.css", include_in_schema=False)
def widget_css() -> Response:
    """The widget's styles; widget.js links them from the same base URL."""
    return _asset("widget.css")


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> Response:
    """Other files of the demo page (its own stylesheet, the logo)."""
    return _asset(name)


@router.get("/widget/conditions", include_in_schema=False)
def condition_labels(request: Request) -> JSONResponse:
    """Readable titles and explanations of the condition ids in an advice, in the person's language.

    The advice names conditions by their contract id; the widget shows these texts instead of the id.
    """
    lang = language_of(request)
    conditions: dict[str, Any] = request.app.state.ctx.knowledge.routes.conditions
    body = {
        cid: {"title": info.title.get(lang), "explanation": info.explanation.get(lang),
              "source": str(info.source) if info.source else None}
        for cid, info in conditions.items()
    }
    return JSONResponse(body, headers={"Cache-Control": ASSET_CACHE})
