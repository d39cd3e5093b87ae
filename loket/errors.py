"""One place that turns every failure into a clear JSON error in the person's language, never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from loket.i18n import language_of, text

log = logging.getLogger("loket")


class LoketError(HTTPException):
    """An expected error with a text key from loket.i18n (the message is rendered per language)."""

    def __init__(self, status_code: int, key: str, **values: object) -> None:
        super().__init__(status_code=status_code, detail=key)
        self.key = key
        self.values = values


_STATUS_KEYS = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 401: "unauthorized"}


def _simplify(errors: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    # Never echo the input back: it may be huge or contain markup.
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))[:200]} for e in errors[:10]]


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    from fastapi.responses import RedirectResponse
    from starlette.responses import Response

    from loket.auth.deps import Forbidden, LoginRequired

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_html(request):
            from urllib.parse import quote

            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        lang = language_of(request)
        if request.headers.get("authorization", "").lower().startswith("bearer "):
            import loket.bestuur.koppeling  # noqa: F401 - its texts

            return JSONResponse({"detail": text("api_key_invalid", lang), "code": "api_key_invalid"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return JSONResponse({"detail": text("login_required", lang), "code": "login_required"}, status_code=401)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        lang = language_of(request)
        if _wants_html(request):
            from loket.pages import render

            return render(request, "message.html", status_code=403, heading="Geen toegang",
                          message=text("forbidden", lang))
        return JSONResponse({"detail": text("forbidden", lang), "code": "forbidden"}, status_code=403)

    @app.exception_handler(LoketError)
    async def _loket_error(request: Request, exc: LoketError) -> JSONResponse:
        lang = language_of(request)
        return JSONResponse(
            {"detail": text(exc.key, lang, **exc.values), "code": exc.key},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = language_of(request)
        return JSONResponse(
            {"detail": text("invalid_input", lang), "code": "invalid_input", "errors": _simplify(exc.errors())},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = language_of(request)
        key = _STATUS_KEYS.get(exc.status_code)
        detail = text(key, lang) if key else str(exc.detail)
        return JSONResponse({"detail": detail, "code": key or "error"}, status_code=exc.status_code)

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc.orig)
        return JSONResponse(
            {"detail": text("db_unavailable", language_of(request)), "code": "db_unavailable"},
            status_code=503,
            headers={"Retry-After": "30"},
        )

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _db_down(request, exc)  # type: ignore[arg-type]
        log.exception("database error on %s", request.url.path)
        return JSONResponse(
            {"detail": text("internal", language_of(request)), "code": "internal"}, status_code=500
        )
