"""Reading and writing loopbaangesprekken and their assignments; checking a teacher's request."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean, median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.bestuur.models import Bestuur
from loket.coach.models import EXPERTISE_TAGS
from loket.loopbaangesprek.models import (
    BEHOUDEN,
    OPEN_STATUSES,
    UITKOMSTEN,
    URGENTIES,
    Loopbaangesprek,
    LoopbaangesprekToewijzing,
)
from loket.regio.models import Plaats
from loket.text import clean
from matching.coaching import STARTER_TAG

ROLLEN = {
    "leerkracht": "Leerkracht",
    "onderwijsassistent": "Onderwijsassistent of leraarondersteuner",
    "vakleerkracht": "Vakleerkracht",
    "intern_begeleider": "Intern begeleider of specialist",
    "schoolleider": "Schoolleider of teamleider",
    "anders": "Iets anders",
}
CONTACT_KANALEN = {"email": "E-mail", "telefoon": "Telefoon", "video": "Videobellen"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")
MAX_WENS = 2000


@dataclass
class Aanvraag:
    """A checked request of a teacher, from the web form or the chat."""

    naam: str
    email: str
    bestuur_id: str | None  # None: the teacher did not know it; the loket sets it before routing
    huidige_rol: str
    tags: list[str]
    wens: str = ""
    starter: bool = False
    urgentie: str = "normaal"
    telefoon: str | None = None
    plaats_id: str | None = None
    contact_kanaal: str = "email"
    tijden: str = ""
    taal: str = "nl"
    kanaal: str = "web"


@dataclass
class Check:
    """The outcome of checking raw input: the request, or a Dutch message per field."""

    aanvraag: Aanvraag | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _text(raw: dict[str, Any], key: str, limit: int) -> str:
    value = raw.get(key)
    return clean(value)[:limit] if isinstance(value, str) else ""


def check(*, db_session: Session, raw: dict[str, Any]) -> Check:
    """Check a request's raw fields (form or chat) against the rules and the database."""
    errors: dict[str, str] = {}
    naam = _text(raw, "naam", 200)
    if not naam:
        errors["naam"] = "Vul je naam in."
    email = _text(raw, "email", 320).lower()
    if not _EMAIL.match(email):
        errors["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@school.nl."
    telefoon = _text(raw, "telefoon", 64) or None
    if telefoon and not _PHONE.match(telefoon):
        errors["telefoon"] = "Vul een telefoonnummer in met alleen cijfers, bijvoorbeeld 06 12345678."
    bestuur_id: str | None = _text(raw, "bestuur_id", 64)
    if not bestuur_id and raw.get("bestuur_onbekend") is True:
        # The chat's "weet ik niet": no coach can take it until the loket has set the bestuur (never a guess).
        bestuur_id = None
    elif not bestuur_id or len(bestuur_id) > 64 or db_session.get(Bestuur, bestuur_id) is None:
        errors["bestuur_id"] = "Kies het schoolbestuur waar je nu werkt."
    rol = _text(raw, "huidige_rol", 200)
    if rol not in ROLLEN:
        errors["huidige_rol"] = "Kies wat je nu doet."
    plaats_id = _text(raw, "plaats_id", 64) or None
    if plaats_id and db_session.get(Plaats, plaats_id) is None:
        errors["plaats_id"] = "Kies een gemeente uit de lijst, of laat het veld leeg."
    raw_tags = raw.get("tags") or []
    tags = [t for t in raw_tags if isinstance(t, str)] if isinstance(raw_tags, list) else []
    if any(t not in EXPERTISE_TAGS for t in tags):
        errors["tags"] = "Kies alleen onderwerpen uit de lijst."
    starter = raw.get("starter") in (True, "1", "on", "ja", "true")
    if starter and STARTER_TAG not in tags:
        tags.append(STARTER_TAG)
    wens_raw = raw.get("wens") if isinstance(raw.get("wens"), str) else ""
    if len(wens_raw) > MAX_WENS * 2 or len(clean(wens_raw)) > MAX_WENS:
        errors["wens"] = f"Je toelichting is te lang. Houd het korter dan {MAX_WENS} tekens."
    wens = clean(wens_raw)[:MAX_WENS]
    if not tags and not wens:
        errors["tags"] = "Kies een onderwerp of schrijf kort waar je over wilt praten."
    urgentie = _text(raw, "urgentie", 16) or "normaal"
    if urgentie not in URGENTIES:
        errors["urgentie"] = "Kies hoe dringend je vraag is."
    kanaal = _text(raw, "contact_kanaal", 16) or "email"
    if kanaal not in CONTACT_KANALEN:
        errors["contact_kanaal"] = "Kies hoe je het liefst contact hebt."
    if kanaal == "telefoon" and not telefoon:
        errors["telefoon"] = "Vul je telefoonnummer in als je gebeld wilt worden."
    taal = _text(raw, "taal", 2)
    if errors:
        return Check(errors=errors)
    return Check(aanvraag=Aanvraag(
        naam=naam, email=email, bestuur_id=bestuur_id, huidige_rol=rol, tags=sorted(set(tags)), wens=wens,
        starter=starter, urgentie=urgentie, telefoon=telefoon, plaats_id=plaats_id, contact_kanaal=kanaal,
        tijden=_text(raw, "tijden", 300), taal=taal if taal in ("nl", "en") else "nl",
        kanaal=_text(raw, "kanaal", 16) or "web",
    ))


def create(*, db_session: Session, aanvraag: Aanvraag) -> Loopbaangesprek:
    """Store a checked request (status wachtend, not routed yet)."""
    gesprek = Loopbaangesprek(
        naam=aanvraag.naam, email=aanvraag.email, telefoon=aanvraag.telefoon, bestuur_id=aanvraag.bestuur_id,
        huidige_rol=aanvraag.huidige_rol, wens=aanvraag.wens, tags=aanvraag.tags, starter=aanvraag.starter,
        urgentie=aanvraag.urgentie, plaats_id=aanvraag.plaats_id, taal=aanvraag.taal, kanaal=aanvraag.kanaal,
        contact_voorkeur={"kanaal": aanvraag.contact_kanaal, "tijden": aanvraag.tijden}, status="wachtend",
    )
    db_session.add(gesprek)
    db_session.flush()
    return gesprek


def get(*, db_session: Session, gesprek_id: str) -> Loopbaangesprek | None:
    """The request with this id, or None (also for ids that cannot exist)."""
    return db_session.get(Loopbaangesprek, gesprek_id) if 0 < len(gesprek_id) <= 32 else None


def get_toewijzing(*, db_session: Session, toewijzing_id: str) -> LoopbaangesprekToewijzing | None:
    """The assignment with this id, or None."""
    return db_session.get(LoopbaangesprekToewijzing, toewijzing_id) if 0 < len(toewijzing_id) <= 32 else None


def toewijzingen(*, db_session: Session, gesprek_id: str) -> list[LoopbaangesprekToewijzing]:
    """Every offer of a request, oldest first: the path it took."""
    return list(db_session.scalars(
        select(LoopbaangesprekToewijzing).where(LoopbaangesprekToewijzing.loopbaangesprek_id == gesprek_id)
        .order_by(LoopbaangesprekToewijzing.aangeboden_at, LoopbaangesprekToewijzing.id)))


def open_offer(*, db_session: Session, gesprek_id: str) -> LoopbaangesprekToewijzing | None:
    """The offer now waiting for a coach's answer, if any."""
    return db_session.scalar(select(LoopbaangesprekToewijzing).where(
        LoopbaangesprekToewijzing.loopbaangesprek_id == gesprek_id,
        LoopbaangesprekToewijzing.status == "aangeboden"))


def tried_coaches(*, db_session: Session, gesprek_id: str) -> frozenset[str]:
    """Coaches that declined this request or let its SLA pass: routing skips them."""
    rows = db_session.scalars(select(LoopbaangesprekToewijzing.coach_id).where(
        LoopbaangesprekToewijzing.loopbaangesprek_id == gesprek_id,
        LoopbaangesprekToewijzing.status.in_(("afgewezen", "verlopen", "ingetrokken"))))
    return frozenset(r for r in rows if r)


def for_coach(*, db_session: Session, coach_id: str) -> list[Loopbaangesprek]:
    """The open requests of one coach (offered to them or accepted by them), newest first."""
    offered = select(LoopbaangesprekToewijzing.loopbaangesprek_id).where(
        LoopbaangesprekToewijzing.coach_id == coach_id, LoopbaangesprekToewijzing.status == "aangeboden")
    return list(db_session.scalars(
        select(Loopbaangesprek).where(
            Loopbaangesprek.coach_id == coach_id,
            (Loopbaangesprek.status != "toegewezen") | Loopbaangesprek.id.in_(offered))
        .order_by(Loopbaangesprek.created_at.desc())))


def waiting(*, db_session: Session, limit: int | None = None) -> list[Loopbaangesprek]:
    """The coordinator's queue: waiting requests, urgent first, then oldest first."""
    query = (select(Loopbaangesprek).where(Loopbaangesprek.status == "wachtend")
             .order_by((Loopbaangesprek.urgentie == "hoog").desc(), Loopbaangesprek.created_at,
                       Loopbaangesprek.id))
    if limit:
        query = query.limit(limit)
    return list(db_session.scalars(query))


def queue_position(*, db_session: Session, gesprek: Loopbaangesprek) -> int:
    """How many waiting requests go before this one."""
    ids = [g.id for g in waiting(db_session=db_session)]
    return ids.index(gesprek.id) if gesprek.id in ids else len(ids)


def open_count(*, db_session: Session) -> int:
    """Requests that still need action."""
    return db_session.scalar(select(func.count()).select_from(Loopbaangesprek)
                             .where(Loopbaangesprek.status.in_(OPEN_STATUSES))) or 0


def in_period(*, db_session: Session, since: datetime | None,
              until: datetime | None) -> list[Loopbaangesprek]:
    """Requests made in ``[since, until)`` (open ends allowed)."""
    query = select(Loopbaangesprek)
    if since is not None:
        query = query.where(Loopbaangesprek.created_at >= since)
    if until is not None:
        query = query.where(Loopbaangesprek.created_at < until)
    return list(db_session.scalars(query))


def figures(*, db_session: Session, since: datetime | None = None,
            until: datetime | None = None) -> dict[str, Any]:
    """Figures for the region's retention ambition over requests made in ``[since, until)``."""
    rows = in_period(db_session=db_session, since=since, until=until)
    ids = [g.id for g in rows]
    offers: list[LoopbaangesprekToewijzing] = []
    for start in range(0, len(ids), 500):  # IN lists stay small on both databases
        offers += db_session.scalars(select(LoopbaangesprekToewijzing).where(
            LoopbaangesprekToewijzing.loopbaangesprek_id.in_(ids[start:start + 500]))).all()
    accepted_at = {o.loopbaangesprek_id: o.beantwoord_at for o in offers if o.status == "geaccepteerd"}
    by = {g.id: g for g in rows}
    days_to_accept = [(at - by[gid].created_at).total_seconds() / 86400
                      for gid, at in accepted_at.items() if at]
    promises = [(at.date() <= by[gid].beloofd_contact_op) for gid, at in accepted_at.items()
                if at and by[gid].beloofd_contact_op]
    outcomes = {u: sum(1 for g in rows if g.uitkomst == u) for u in UITKOMSTEN}
    known = sum(outcomes.values())
    scores = [g.feedback_score for g in rows if g.feedback_score is not None]
    status: dict[str, int] = {}
    tags: dict[str, int] = {}
    for g in rows:
        status[g.status] = status.get(g.status, 0) + 1
        for tag in g.tags or []:
            tags[tag] = tags.get(tag, 0) + 1
    return {
        "periode": {"van": since.isoformat() if since else None, "tot": until.isoformat() if until else None},
        "aanvragen": len(rows),
        "starters": sum(1 for g in rows if g.starter),
        "per_status": dict(sorted(status.items())),
        "per_onderwerp": dict(sorted(tags.items())),
        "per_kanaal": {k: sum(1 for g in rows if g.kanaal == k) for k in sorted({g.kanaal for g in rows})},
        "geaccepteerd": len(accepted_at),
        "doorgezet_naar_andere_coach": sum(1 for o in offers if o.status in ("afgewezen", "verlopen")),
        "dagen_tot_acceptatie_mediaan": round(median(days_to_accept), 2) if days_to_accept else None,
        "belofte_gehaald": round(sum(promises) / len(promises), 3) if promises else None,
        "uitkomsten": outcomes,
        "uitkomst_bekend": known,
        "behouden_voor_onderwijs": sum(outcomes[u] for u in BEHOUDEN),
        "behoud_percentage": round(100 * sum(outcomes[u] for u in BEHOUDEN) / known, 1) if known else None,
        "starters_behouden": sum(1 for g in rows if g.starter and g.uitkomst in BEHOUDEN),
        "starters_uitgestroomd": sum(1 for g in rows if g.starter and g.uitkomst == "verlaat_onderwijs"),
        "feedback_aantal": len(scores),
        "feedback_gemiddeld": round(mean(scores), 2) if scores else None,
        "wachtrij_nu": len(waiting(db_session=db_session)),
    }
