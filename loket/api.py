"""Mounts the routers of every domain package."""

from __future__ import annotations

from fastapi import FastAPI


def include_routers(app: FastAPI) -> None:
    """Add every router of the service to ``app``."""
