"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware

from knowledge.loader import Knowledge, load_knowledge
from loket import __version__
from loket.api import include_routers
from loket.context import AppContext
from loket.db import make_engine, make_sessionmaker
from loket.errors import install_error_handlers
from loket.limits import BodySizeLimit
from loket.security import SecurityHeaders
from loket.settings import Settings, get_settings

log = logging.getLogger("loket")


def create_app(settings: Settings | None = None, *, knowledge: Knowledge | None = None) -> FastAPI:
    """Build the app for ``settings``. The database must already be migrated (``loket db upgrade``)."""
    settings = settings or get_settings()
    knowledge = knowledge or load_knowledge()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url, pool_size=settings.db_pool_size,
                         max_overflow=settings.db_max_overflow)
    ctx = AppContext(settings=settings, engine=engine, sessions=make_sessionmaker(engine), knowledge=knowledge)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import sys

        import anyio.to_thread

        from loket import scheduler

        # Handlers run in threads; with the default 5 ms GIL switch interval the event loop waits behind
        # them and throughput collapses under many connections. A shorter interval keeps it responsive.
        sys.setswitchinterval(0.0005)
        threads = settings.threads or (6 if engine.dialect.name == "sqlite" else 40)
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads

        # Build the conversation engine (vocabularies, fuzzy lexicon) before the first request, not in it.
        from loket.intake.service import engine_of

        await anyio.to_thread.run_sync(engine_of, ctx)
        leader = scheduler.start(ctx)
        ctx.cache["scheduler"] = leader
        try:
            yield
        finally:
            if leader is not None:
                leader.stop()
            engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Onderwijsloket Midden-Nederland",
        version=__version__,
        description="Brede intake, advies over routes naar het onderwijs, invalpool en loopbaangesprekken.",
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret(),
        session_cookie="loket_session",
        max_age=8 * 3600,
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders, https=settings.base_url.startswith("https://"))
    # The widget runs on the region's own sites and calls the public API from there. No cookies cross sites.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[*settings.allowed_origins, settings.base_url],
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Accept-Language"],
        allow_credentials=False,
        max_age=600,
    )

    include_routers(app)
    _describe_errors(app)
    return app


# Every error loket returns, 422 included, is {"detail": "<a sentence in the person's language>", "code": ...}.
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the person's language."},
        "code": {"type": "string", "description": "A stable key for the kind of error."},
        "errors": {"type": "array", "items": {"type": "object"}, "description": "Which fields were wrong."},
    },
}


def _describe_errors(app: FastAPI) -> None:
    """Make the OpenAPI schema describe the error body loket really sends (not FastAPI's default)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["HTTPValidationError"] = ERROR_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
