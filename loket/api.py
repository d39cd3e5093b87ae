"""Mounts the routers of every domain package."""

from __future__ import annotations

from fastapi import FastAPI

from loket import health, web
from loket.auth import views as auth_views
from loket.intake import views as intake_views


def include_routers(app: FastAPI) -> None:
    """Add every router of the service to ``app``."""
    app.include_router(health.router)
    app.include_router(intake_views.router)
    app.include_router(auth_views.router)
    app.include_router(web.router)
