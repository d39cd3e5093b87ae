"""Server-rendered pages: one Jinja2 environment, one ``render`` that every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from knowledge import KNOWLEDGE_DIR
from knowledge.schema.text import load_languages
from loket.auth.deps import csrf_token
from loket.i18n import day_text

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))  # autoescape is on for .html
templates.env.filters["dag"] = lambda d, lang="nl": day_text(d, lang) if d else ""

# The loket's languages for staff pages: names in Dutch and whether a native speaker reviewed the texts.
LANGUAGES = load_languages(KNOWLEDGE_DIR)
templates.env.filters["taal"] = lambda code: (LANGUAGES.get(code).name_nl if LANGUAGES.get(code) else code or "")
templates.env.globals["talen"] = LANGUAGES


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the account, the CSRF token and the language filled in."""
    context.setdefault("account", getattr(request.state, "account", None))
    context.setdefault("lang", "nl")
    context["csrf_token"] = csrf_token(request) if "session" in request.scope else ""
    return templates.TemplateResponse(request, name, context, status_code=status_code)
