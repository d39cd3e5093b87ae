"""Kandidaten in the console: find them, read what the loket knows, change stage, notes and follow-up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.console.models import Opvolging
from loket.console.review import STATUS_LABELS, label_of
from loket.context import AppContext
from loket.intake.models import ContactVerzoek, IntakeBericht, IntakeSessie
from loket.kandidaat.models import FASEN, Kandidaat
from loket.match.models import Match
from loket.medewerker.models import Medewerker
from loket.text import clean

FASE_LABELS = {
    "nieuw": "Nieuw",
    "geinformeerd": "Geïnformeerd",
    "orientatie": "Oriëntatie",
    "in_opleiding": "In opleiding",
    "aan_het_werk": "Aan het werk",
    "uitgestroomd": "Uitgestroomd",
}
LOCAL = ZoneInfo("Europe/Amsterdam")
REMINDER_HOUR = time(8, 0)  # the reminder arrives at the start of the working day
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-\s]{6,20}$")


class KandidaatError(Exception):
    """A change cannot be saved; the message says which field and why (Dutch)."""


@dataclass
class Detail:
    kandidaat: Kandidaat
    sessie: IntakeSessie | None
    antwoorden: list[tuple[str, str]]
    gesprek: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    contacten: list[ContactVerzoek]
    opvolging: Opvolging | None
    auteurs: dict[str, str] = field(default_factory=dict)


def search(*, db_session: Session, q: str = "", fase: str | None = None, limit: int = 200) -> list[Kandidaat]:
    """Kandidaten whose name, e-mail, phone, place or id contains ``q``, newest first."""
    query = select(Kandidaat).order_by(Kandidaat.updated_at.desc(), Kandidaat.id).limit(limit)
    q = clean(q)[:100]
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Kandidaat.naam).like(like),
                func.lower(Kandidaat.email).like(like),
                Kandidaat.telefoon.like(like),
                func.lower(Kandidaat.plaats).like(like),
                Kandidaat.id == q,
            )
        )
    if fase in FASEN:
        query = query.where(Kandidaat.fase == fase)
    return list(db_session.scalars(query).all())


def display_name(kandidaat: Kandidaat) -> str:
    """The name, or a short anonymous handle when the person gave none."""
    return kandidaat.naam or f"Kandidaat {kandidaat.id[:6]}"


def _answers(ctx: AppContext, profile: dict[str, Any]) -> list[tuple[str, str]]:
    from bot.render import format_value

    flow, vocab = ctx.knowledge.intake_flow, ctx.knowledge.vocabularies
    out = []
    for spec in flow.slots:
        if spec.slot in profile and profile[spec.slot] is not None:
            try:
                shown = format_value(flow, vocab, spec, profile[spec.slot], "nl")
            except Exception:  # noqa: BLE001 - an old stored value must never break the page
                shown = str(profile[spec.slot])
            out.append((spec.label.nl if spec.label else spec.slot, shown))
    return out


def detail(*, db_session: Session, ctx: AppContext, kandidaat_id: str) -> Detail | None:
    """Everything about one kandidaat for the candidate page, or None when the id is unknown."""
    kandidaat = db_session.get(Kandidaat, kandidaat_id[:64])
    if kandidaat is None:
        return None
    sessies = db_session.scalars(
        select(IntakeSessie)
        .where(IntakeSessie.kandidaat_id == kandidaat.id)
        .order_by(IntakeSessie.created_at)
    ).all()
    sessie = sessies[-1] if sessies else None
    gesprek = []
    if sessies:
        rows = db_session.scalars(
            select(IntakeBericht)
            .where(IntakeBericht.sessie_id.in_([s.id for s in sessies]))
            .order_by(IntakeBericht.at, IntakeBericht.id)
            .limit(1000)
        ).all()
        gesprek = [{"direction": r.direction, "text": r.text, "at": r.at, "author": r.author} for r in rows]
    matches = []
    for m in db_session.scalars(
        select(Match).where(Match.kandidaat_id == kandidaat.id).order_by(Match.created_at.desc())
    ).all():
        matches.append(
            {
                "match": m,
                "voorstel": label_of(
                    db_session=db_session, ctx=ctx, soort=m.soort, onderwerp_id=m.onderwerp_id
                ),
                "gekozen": label_of(
                    db_session=db_session, ctx=ctx, soort=m.soort, onderwerp_id=m.vervangen_door
                )
                if m.vervangen_door
                else None,
                "status": STATUS_LABELS.get(m.status, m.status),
            }
        )
    contacten = list(
        db_session.scalars(
            select(ContactVerzoek)
            .where(ContactVerzoek.kandidaat_id == kandidaat.id)
            .order_by(ContactVerzoek.created_at.desc())
        ).all()
    )
    opvolging = db_session.scalar(
        select(Opvolging)
        .where(Opvolging.kandidaat_id == kandidaat.id, Opvolging.status == "gepland")
        .order_by(Opvolging.due_at)
        .limit(1)
    )
    author_ids = {g["author"] for g in gesprek if g["author"]}
    auteurs = (
        dict(
            db_session.execute(
                select(Medewerker.id, Medewerker.naam).where(Medewerker.id.in_(author_ids))
            ).all()
        )
        if author_ids
        else {}
    )
    return Detail(
        kandidaat=kandidaat,
        sessie=sessie,
        antwoorden=_answers(ctx, sessie.profile or {}) if sessie else [],
        gesprek=gesprek,
        matches=matches,
        contacten=contacten,
        opvolging=opvolging,
        auteurs=auteurs,
    )


def due_moment(day: date) -> datetime:
    """When a follow-up on ``day`` becomes due: 08:00 in the Netherlands, as UTC."""
    return datetime.combine(day, REMINDER_HOUR, tzinfo=LOCAL).astimezone(ZoneInfo("UTC"))


def _field(values: dict[str, str], key: str, max_len: int, label: str) -> str | None:
    value = clean(values.get(key, "") or "")
    if len(value) > max_len:
        raise KandidaatError(f"{label} is te lang (meer dan {max_len} tekens).")
    return value or None


def update_kandidaat(
    *,
    db_session: Session,
    kandidaat: Kandidaat,
    account: Medewerker,
    values: dict[str, str],
    ip: str | None = None,
) -> list[str]:
    """Save the edited fields (validated first; nothing is saved when one is wrong); return what changed."""
    naam = _field(values, "naam", 200, "Naam")
    email = _field(values, "email", 320, "E-mailadres")
    if email and not _EMAIL.match(email):
        raise KandidaatError("Het e-mailadres klopt niet. Voorbeeld: naam@voorbeeld.nl")
    telefoon = _field(values, "telefoon", 64, "Telefoon")
    if telefoon and not _PHONE.match(telefoon):
        raise KandidaatError("Het telefoonnummer klopt niet. Gebruik alleen cijfers, spaties, + en -.")
    plaats = _field(values, "plaats", 200, "Woonplaats")
    notities = _field(values, "notities", 20_000, "Notities")
    fase = values.get("fase", kandidaat.fase)
    if fase not in FASEN:
        raise KandidaatError("Kies een fase uit de lijst.")
    raw_date = (values.get("volgende_actie_op") or "").strip()
    try:
        volgende = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise KandidaatError(
            "De datum voor opvolgen klopt niet. Gebruik de datumkiezer of 2026-12-31."
        ) from None
    today = clock.now().astimezone(LOCAL).date()
    if volgende is not None and volgende != kandidaat.volgende_actie_op and volgende < today:
        raise KandidaatError("De datum voor opvolgen ligt in het verleden. Kies vandaag of later.")
    if volgende is not None and volgende > today + timedelta(days=3 * 365):
        raise KandidaatError("De datum voor opvolgen ligt te ver weg (meer dan drie jaar).")
    opvolg_notitie = _field(values, "opvolg_notitie", 500, "Notitie bij opvolgen")

    new = {
        "naam": naam,
        "email": email,
        "telefoon": telefoon,
        "plaats": plaats,
        "notities": notities,
        "fase": fase,
        "volgende_actie_op": volgende,
    }
    changed = [k for k, v in new.items() if getattr(kandidaat, k) != v]
    for key in changed:
        setattr(kandidaat, key, new[key])
    if "volgende_actie_op" in changed or (volgende and opvolg_notitie):
        _plan_follow_up(db_session, kandidaat, account, volgende, opvolg_notitie)
    if changed:
        kandidaat.updated_at = clock.now()
        # Which fields changed, never their values: the audit log must not become a copy of personal data.
        detail: dict[str, Any] = {"velden": changed}
        if "fase" in changed:
            detail["fase"] = fase
        record(
            db_session=db_session,
            actor=f"medewerker:{account.id}",
            action="kandidaat.edit",
            object_type="kandidaat",
            object_id=kandidaat.id,
            detail=detail,
            ip=ip,
        )
    return changed


def _plan_follow_up(
    db_session: Session, kandidaat: Kandidaat, account: Medewerker, day: date | None, notitie: str | None
) -> None:
    # One planned follow-up per kandidaat: a new date replaces the old reminder.
    db_session.execute(
        update(Opvolging)
        .where(Opvolging.kandidaat_id == kandidaat.id, Opvolging.status == "gepland")
        .values(status="vervallen")
        .execution_options(synchronize_session=False)
    )
    if day is not None:
        db_session.add(
            Opvolging(
                kandidaat_id=kandidaat.id,
                medewerker_id=account.id,
                datum=day,
                due_at=due_moment(day),
                notitie=notitie,
            )
        )


def record_view(*, db_session: Session, account: Medewerker, kandidaat_id: str, ip: str | None) -> None:
    """Log that a staff member opened a kandidaat's personal data."""
    record(
        db_session=db_session,
        actor=f"medewerker:{account.id}",
        action="kandidaat.view",
        object_type="kandidaat",
        object_id=kandidaat_id,
        ip=ip,
    )
