"""Mounts the routers of every domain package."""

from __future__ import annotations

from fastapi import FastAPI

from loket import health, web
from loket.auth import views as auth_views
from loket.coach import views as coach_views
from loket.console.routes import router as console_router
from loket.intake import views as intake_views
from loket.loopbaangesprek import views as loopbaangesprek_views
from loket.privacy import views as privacy_views
from loket.starter import views as starter_views
from loket.telegram import views as telegram_views
from loket.vervangingsvraag import views as invalpool_views


def include_routers(app: FastAPI) -> None:
    """Add every router of the service to ``app``."""
    app.include_router(health.router)
    app.include_router(intake_views.router)
    app.include_router(privacy_views.router)
    app.include_router(auth_views.router)
    app.include_router(web.router)
    app.include_router(console_router)
    app.include_router(telegram_views.router)
    app.include_router(invalpool_views.router)
    app.include_router(loopbaangesprek_views.router)
    app.include_router(starter_views.router)
    app.include_router(loopbaangesprek_views.pages)
    app.include_router(coach_views.router)
