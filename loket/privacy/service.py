"""What loket holds about one person, and the purge that keeps only what the retention settings allow.

Anonymous counters (intake events without a value or a session link) are kept: they feed the region's
figures and the drop-off chart, and identify no one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.intake.models import ContactVerzoek, IntakeBericht, IntakeEvent, IntakeSessie, VerwerktBericht
from loket.kandidaat.models import Kandidaat
from loket.match.models import Match
from loket.medewerker.models import LoginPoging
from loket.outbox.models import OutboxBericht
from loket.settings import Settings


def export_session(*, db_session: Session, sessie: IntakeSessie) -> dict[str, Any]:
    """Everything stored for this intake, as JSON-ready data (the person's right of access)."""
    messages = db_session.scalars(select(IntakeBericht).where(IntakeBericht.sessie_id == sessie.id)
                                  .order_by(IntakeBericht.id)).all()
    events = db_session.scalars(select(IntakeEvent).where(IntakeEvent.sessie_id == sessie.id)
                                .order_by(IntakeEvent.id)).all()
    requests = db_session.scalars(select(ContactVerzoek).where(ContactVerzoek.sessie_id == sessie.id)).all()
    matches = db_session.scalars(select(Match).where(Match.sessie_id == sessie.id)).all()
    kandidaat = db_session.get(Kandidaat, sessie.kandidaat_id) if sessie.kandidaat_id else None
    record(db_session=db_session, actor=f"kandidaat:{sessie.id}", action="export", object_type="intake_sessie",
           object_id=sessie.id)
    return {
        "exported_at": clock.now().isoformat(),
        "session": {
            "id": sessie.id, "channel": sessie.channel, "language": sessie.language, "done": sessie.done,
            "consent_version": sessie.consent_version,
            "consent_at": sessie.consent_at.isoformat() if sessie.consent_at else None,
            "created_at": sessie.created_at.isoformat(), "expires_at": sessie.expires_at.isoformat(),
            "profile": sessie.profile,
        },
        "messages": [{"at": m.at.isoformat(), "direction": m.direction, "text": m.text} for m in messages],
        "events": [{"at": e.at.isoformat(), "type": e.type, "slot": e.slot, "value": e.value} for e in events],
        "contact_requests": [
            {"created_at": r.created_at.isoformat(), "contact": r.contact, "status": r.status,
             "promised_by": r.beloofd_voor.isoformat() if r.beloofd_voor else None}
            for r in requests
        ],
        "advice": [{"created_at": m.created_at.isoformat(), "status": m.status, "advice": m.gegevens}
                   for m in matches],
        "kandidaat": None if kandidaat is None else {
            "naam": kandidaat.naam, "email": kandidaat.email, "telefoon": kandidaat.telefoon,
            "plaats": kandidaat.plaats, "fase": kandidaat.fase,
        },
        "retention": "Chat text is kept 30 days, answers 12 months, then erased automatically.",
    }


def purge(*, db_session: Session, settings: Settings) -> dict[str, int]:
    """Delete what is past its retention; return counts per kind (no personal data in the counts)."""
    from loket.intake.service import erase

    now = clock.now()
    counts: dict[str, int] = {}
    counts["chat_messages"] = db_session.execute(delete(IntakeBericht).where(
        IntakeBericht.at < now - timedelta(days=settings.retention_chat_days))).rowcount
    # Answers of the idempotency cache repeat chat text: they go with it.
    counts["replayed_answers"] = db_session.execute(delete(VerwerktBericht).where(
        VerwerktBericht.at < now - timedelta(days=min(7, settings.retention_chat_days)))).rowcount
    old_sessions = db_session.scalars(select(IntakeSessie).where(
        IntakeSessie.updated_at < now - timedelta(days=settings.retention_intake_days))).all()
    for sessie in old_sessions:
        erase(db_session=db_session, sessie=sessie, actor="system:retention")
    counts["intakes"] = len(old_sessions)
    # An intake that never got consent holds nothing personal, but it has no use after its expiry either.
    counts["unconsented_intakes"] = db_session.execute(delete(IntakeSessie).where(
        IntakeSessie.consent_at.is_(None), IntakeSessie.expires_at < now)).rowcount
    contact_cutoff = now - timedelta(days=settings.retention_contact_days)
    counts["contact_requests"] = db_session.execute(delete(ContactVerzoek).where(
        ContactVerzoek.status == "afgerond", ContactVerzoek.created_at < contact_cutoff)).rowcount
    counts["contact_details"] = db_session.execute(
        update(Kandidaat).where(Kandidaat.updated_at < contact_cutoff,
                                (Kandidaat.email.is_not(None)) | (Kandidaat.telefoon.is_not(None)))
        .values(email=None, telefoon=None, naam=None).execution_options(synchronize_session=False)).rowcount
    # Loopbaangesprekken: the figures (outcome, score, tags, dates) stay for the retention ambition;
    # who it was and what they wrote go once the request is closed and past the contact retention.
    from loket.loopbaangesprek.models import Loopbaangesprek

    counts["loopbaangesprekken"] = db_session.execute(
        update(Loopbaangesprek)
        .where(Loopbaangesprek.status.in_(["afgerond", "geannuleerd"]), Loopbaangesprek.created_at < contact_cutoff,
               Loopbaangesprek.naam != "")
        .values(naam="", email=None, telefoon=None, wens="", huidige_rol=None, feedback_tekst=None,
                contact_voorkeur={}, kandidaat_id=None)
        .execution_options(synchronize_session=False)).rowcount
    # Starters: followed for three school years (the outflow ambition 2.1); after that who they were goes,
    # the anonymous row (bestuur, school, start date, status, outcome) stays for the counts.
    from loket.starter.models import Starter

    starter_cutoff = (now - timedelta(days=settings.retention_starter_days)).date()
    counts["starters"] = db_session.execute(
        update(Starter).where(Starter.startdatum < starter_cutoff, Starter.vergeten_at.is_(None))
        .values(naam=None, email=None, telefoon=None, token_hash=None, vergeten_at=now)
        .execution_options(synchronize_session=False)).rowcount
    counts["outbox"] = db_session.execute(delete(OutboxBericht).where(
        OutboxBericht.status != "queued",
        OutboxBericht.created_at < now - timedelta(days=settings.retention_outbox_days))).rowcount
    counts["login_attempts"] = db_session.execute(delete(LoginPoging).where(
        LoginPoging.at < now - timedelta(days=30))).rowcount
    record(db_session=db_session, actor="system:retention", action="purge", object_type="retention",
           detail=counts)
    return counts
