"""The handoff inbox: people who asked for a person, oldest promise first; staff reply in the same chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.console import messaging
from loket.intake import service as intake
from loket.intake.models import ContactVerzoek, IntakeBericht, IntakeSessie
from loket.kandidaat.models import Kandidaat
from loket.medewerker.models import Medewerker
from loket.text import clean

OPEN = ("open", "in_behandeling")
STATUS_LABELS = {"open": "Open", "in_behandeling": "In behandeling", "afgerond": "Afgerond"}
MAX_REPLY = 4000


class ContactError(Exception):
    """The reply cannot be sent; the message says why (Dutch)."""


@dataclass(frozen=True)
class Sla:
    """How old a request is and how it stands against the promised date."""

    age_hours: float
    hours_left: float | None  # negative when the promise has passed

    @property
    def late(self) -> bool:
        return self.hours_left is not None and self.hours_left < 0

    def text(self) -> str:
        """``3 uur oud · nog 29 uur`` or ``2 dagen oud · 5 uur te laat``."""
        age = _duration(self.age_hours)
        if self.hours_left is None:
            return f"{age} oud"
        if self.hours_left < 0:
            return f"{age} oud · {_duration(-self.hours_left)} te laat"
        return f"{age} oud · nog {_duration(self.hours_left)}"


def _duration(hours: float) -> str:
    if hours < 1:
        return "minder dan 1 uur"
    if hours < 48:
        return f"{int(hours)} uur"
    return f"{int(hours // 24)} dagen"


def sla(verzoek: ContactVerzoek, now: datetime) -> Sla:
    """The SLA age of a request at ``now``."""
    age = (now - verzoek.created_at).total_seconds() / 3600
    left = (verzoek.beloofd_voor - now).total_seconds() / 3600 if verzoek.beloofd_voor else None
    return Sla(age_hours=max(age, 0.0), hours_left=left)


def inbox(
    *, db_session: Session, status: str = "open", limit: int = 200
) -> list[tuple[ContactVerzoek, Kandidaat | None]]:
    """Requests by status group (open: open and in behandeling; afgerond), the earliest promise first."""
    query = select(ContactVerzoek, Kandidaat).outerjoin(
        Kandidaat, ContactVerzoek.kandidaat_id == Kandidaat.id
    )
    if status == "afgerond":
        query = query.where(ContactVerzoek.status == "afgerond").order_by(ContactVerzoek.afgerond_at.desc())
    else:
        query = query.where(ContactVerzoek.status.in_(OPEN)).order_by(
            ContactVerzoek.beloofd_voor.is_(None), ContactVerzoek.beloofd_voor, ContactVerzoek.created_at
        )
    return [(v, k) for v, k in db_session.execute(query.limit(limit)).all()]


def languages_of(*, db_session: Session, verzoeken: list[ContactVerzoek]) -> dict[str, str]:
    """The chat language of each request's intake (by request id), so staff know to call with an
    interpreter or in English; requests without an intake are missing (Dutch)."""
    by_sessie = {v.sessie_id: v.id for v in verzoeken if v.sessie_id}
    if not by_sessie:
        return {}
    rows = db_session.execute(
        select(IntakeSessie.id, IntakeSessie.language).where(IntakeSessie.id.in_(list(by_sessie)))
    ).all()
    return {by_sessie[sid]: language for sid, language in rows}


def get(*, db_session: Session, verzoek_id: str) -> ContactVerzoek | None:
    """The contact request with this id, or None."""
    return db_session.get(ContactVerzoek, verzoek_id[:64])


def conversation(*, db_session: Session, verzoek: ContactVerzoek) -> list[IntakeBericht]:
    """The chat of the request's intake, oldest first (empty when the person erased it)."""
    if not verzoek.sessie_id:
        return []
    return list(
        db_session.scalars(
            select(IntakeBericht)
            .where(IntakeBericht.sessie_id == verzoek.sessie_id)
            .order_by(IntakeBericht.at, IntakeBericht.id)
            .limit(1000)
        ).all()
    )


def reply(
    *, db_session: Session, verzoek: ContactVerzoek, account: Medewerker, text: str, ip: str | None = None
) -> IntakeBericht | None:
    """Add a staff reply to the person's conversation and send it through their channel(s)."""
    text = clean(text)
    if not text:
        raise ContactError("Schrijf eerst een antwoord.")
    if len(text) > MAX_REPLY:
        raise ContactError(f"Je antwoord is te lang: houd het korter dan {MAX_REPLY} tekens.")
    sessie = db_session.get(IntakeSessie, verzoek.sessie_id) if verzoek.sessie_id else None
    if sessie is None and not (verzoek.contact_kind == "email" and verzoek.contact):
        raise ContactError(
            "Dit gesprek bestaat niet meer en er is geen e-mailadres. Bel de persoon als er "
            "een telefoonnummer is."
        )
    language = sessie.language if sessie is not None else "nl"
    bericht = intake.tell(
        db_session=db_session, sessie=sessie, text=text, author=account.id,
        email=verzoek.contact if verzoek.contact_kind == "email" else None,
        subject=messaging.reply_subject(language),
    )
    if verzoek.status == "open":
        verzoek.status = "in_behandeling"
    verzoek.behandeld_door = account.id
    record(
        db_session=db_session,
        actor=f"medewerker:{account.id}",
        action="contact.reply",
        object_type="contact_verzoek",
        object_id=verzoek.id,
        ip=ip,
        detail={"tekens": len(text)},
    )
    return bericht


def finish(
    *, db_session: Session, verzoek: ContactVerzoek, account: Medewerker, ip: str | None = None
) -> None:
    """Mark the request as handled."""
    if verzoek.status == "afgerond":
        return
    verzoek.status = "afgerond"
    verzoek.afgerond_at = clock.now()
    verzoek.behandeld_door = account.id
    record(
        db_session=db_session,
        actor=f"medewerker:{account.id}",
        action="contact.finish",
        object_type="contact_verzoek",
        object_id=verzoek.id,
        ip=ip,
    )
