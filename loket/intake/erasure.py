"""Erasing an intake session: everything personal goes, anonymous counters stay."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from loket import clock
from loket.intake.models import ContactVerzoek, IntakeBericht, IntakeEvent, IntakeSessie, VerwerktBericht


def erase(*, db_session: Session, sessie: IntakeSessie, actor: str | None = None) -> dict[str, Any]:
    """Erase everything personal of a session; keep anonymous counters. Returns a receipt."""
    from loket.kandidaat.models import Kandidaat

    now = clock.now()
    counts = {
        "berichten": db_session.execute(delete(IntakeBericht).where(IntakeBericht.sessie_id == sessie.id)).rowcount,
        "contactverzoeken": db_session.execute(
            delete(ContactVerzoek).where(ContactVerzoek.sessie_id == sessie.id)).rowcount,
    }
    # Events stay as anonymous counts for the drop-off chart: no link to the session, no value.
    db_session.execute(update(IntakeEvent).where(IntakeEvent.sessie_id == sessie.id)
                       .values(sessie_id=None, value=None))
    db_session.execute(delete(VerwerktBericht).where(VerwerktBericht.sessie_id == sessie.id))
    if sessie.kandidaat_id:
        kandidaat = db_session.get(Kandidaat, sessie.kandidaat_id)
        if kandidaat is not None:
            db_session.delete(kandidaat)
    from loket.match.models import Match

    db_session.execute(delete(Match).where(Match.sessie_id == sessie.id))
    receipt = {"session_id": sessie.id, "erased_at": now.isoformat(), "removed": counts}
    db_session.delete(sessie)
    from loket.audit.service import record

    record(db_session=db_session, actor=actor or f"kandidaat:{sessie.id}", action="erase",
           object_type="intake_sessie", object_id=sessie.id, detail=counts)
    return receipt
