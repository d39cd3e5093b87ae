"""Liveness (/healthz: the process answers) and readiness (/readyz: database and knowledge are there)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from loket import __version__

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers and the knowledge base is loaded."""
    ctx = request.app.state.ctx
    checks: dict[str, object] = {}
    ok = True
    try:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        ok = False
        checks["database"] = f"unavailable: {type(exc).__name__}"
    checks["knowledge"] = ctx.knowledge.summary()
    leader = ctx.cache.get("scheduler")
    checks["scheduler"] = leader.role if leader is not None else "off"
    return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)
