"""Staff actions on an intake on request: block an abusive session, erase a person's data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from loket.audit.service import record
from loket.auth.deps import Allowed, CsrfChecked
from loket.db import transaction
from loket.errors import LoketError
from loket.intake import service
from loket.intake.models import IntakeSessie
from loket.medewerker.models import Medewerker

router = APIRouter(prefix="/api/v1/staff", tags=["staff"], dependencies=[CsrfChecked])


class Reason(BaseModel):
    reason: str = Field(min_length=3, max_length=500, description="Why (kept in the audit log).")


def _sessie(db: Any, session_id: str) -> IntakeSessie:
    sessie = db.get(IntakeSessie, session_id[:64])
    if sessie is None:
        raise LoketError(404, "session_not_found")
    return sessie


@router.post("/intake/{session_id}/block", summary="Block an intake session (spam, abuse)")
def block_session(session_id: str, body: Reason, request: Request,
                  account: Annotated[Medewerker, Depends(Allowed("session.block"))]) -> dict[str, Any]:
    with transaction(request.app.state.ctx.sessions) as db:
        sessie = _sessie(db, session_id)
        sessie.blocked = True
        record(db_session=db, actor=f"medewerker:{account.id}", action="block", object_type="intake_sessie",
               object_id=sessie.id, detail={"reason": body.reason})
        return {"session_id": sessie.id, "blocked": True}


@router.post("/intake/{session_id}/erase", summary="Erase a person's intake on their request")
def erase_session(session_id: str, body: Reason, request: Request,
                  account: Annotated[Medewerker, Depends(Allowed("kandidaat.erase"))]) -> dict[str, Any]:
    with transaction(request.app.state.ctx.sessions) as db:
        sessie = _sessie(db, session_id)
        receipt = service.erase(db_session=db, sessie=sessie, actor=f"medewerker:{account.id}")
        record(db_session=db, actor=f"medewerker:{account.id}", action="erase_on_request",
               object_type="intake_sessie", object_id=session_id, detail={"reason": body.reason})
        return receipt
