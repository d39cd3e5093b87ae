"""Small helpers shared by the console's routers: the context, the caller's address, flash messages."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from loket.context import AppContext
from loket.pages import render

FLASH = "flash"


def ctx_of(request: Request) -> AppContext:
    """The app's context."""
    return request.app.state.ctx  # type: ignore[no-any-return]


def ip_of(request: Request) -> str | None:
    """The caller's address, for the audit log."""
    return request.client.host if request.client else None


def flash(request: Request, message: str) -> None:
    """Show ``message`` once on the next page."""
    request.session[FLASH] = message[:500]


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a console page, with a waiting flash message."""
    context.setdefault("flash", request.session.pop(FLASH, None))
    return render(request, name, status_code=status_code, **context)


def redirect(url: str) -> Response:
    """A redirect after a form post (303: the browser then GETs ``url``)."""
    return RedirectResponse(url, status_code=303)


def not_found(request: Request, what: str) -> HTMLResponse:
    """A friendly 404 page."""
    return render(request, "message.html", status_code=404, heading="Niet gevonden",
                  message=f"{what} bestaat niet (meer). Misschien is het verwijderd.", link="/console",
                  link_text="Terug naar het overzicht")


def download(content: bytes, filename: str) -> Response:
    """A file download (CSV or Excel) that browsers save rather than show."""
    media = ("text/csv; charset=utf-8" if filename.endswith(".csv")
             else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})
