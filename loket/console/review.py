"""The review queue: every advice or match proposal waits for a person to approve, reject or override it.

A decision is taken once: the update is conditional on the status still being ``voorgesteld``, so two
staff members deciding at the same moment never both win. Overrides and rejections keep the proposal,
the choice and the reason side by side on the row: labelled data to improve the rules (see ``labelled_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.coach.models import Coach
from loket.console import messaging
from loket.context import AppContext
from loket.intake import service as intake
from loket.intake.models import IntakeSessie
from loket.invaller.models import Invaller
from loket.kandidaat.models import Kandidaat
from loket.match.models import Match
from loket.medewerker.models import Medewerker
from loket.vacature.models import Vacature

SOORTEN = ("advies", "route", "vacature", "invaller", "coach")
SOORT_LABELS = {
    "advies": "Advies na intake",
    "route": "Route",
    "vacature": "Vacature",
    "invaller": "Invaller",
    "coach": "Coach",
}
STATUS_LABELS = {
    "voorgesteld": "Te beoordelen",
    "goedgekeurd": "Goedgekeurd",
    "afgewezen": "Afgewezen",
    "overschreven": "Aangepast",
}
BESLUITEN = ("goedkeuren", "afwijzen", "overschrijven")
MAX_REASON = 2000
# Kinds of proposal that are about a kandidaat's own next step: the person hears the decision.
TOLD_TO_PERSON = frozenset({"advies", "route", "vacature"})


class ReviewError(Exception):
    """The decision cannot be taken; the message says why (Dutch, for the staff member)."""


@dataclass(frozen=True)
class Alternative:
    id: str
    label: str


def queue(
    *, db_session: Session, soort: str | None = None, status: str = "voorgesteld", limit: int = 200
) -> list[tuple[Match, Kandidaat | None]]:
    """Proposals with this status (oldest first) and their kandidaat."""
    query = (
        select(Match, Kandidaat)
        .outerjoin(Kandidaat, Match.kandidaat_id == Kandidaat.id)
        .where(Match.status == status)
        .order_by(Match.created_at, Match.id)
        .limit(limit)
    )
    if soort in SOORTEN:
        query = query.where(Match.soort == soort)
    return [(m, k) for m, k in db_session.execute(query).all()]


def open_count(*, db_session: Session) -> int:
    """How many proposals wait for a decision."""
    return (
        db_session.scalar(select(func.count()).select_from(Match).where(Match.status == "voorgesteld")) or 0
    )


def get(*, db_session: Session, match_id: str) -> Match | None:
    """The match with this id, or None."""
    return db_session.get(Match, match_id[:64])


# What staff may pick instead of a proposal, per kind: (table, label column, which rows can be picked).
_CHOICES: dict[str, tuple[Any, Any, Any]] = {
    "vacature": (Vacature, Vacature.titel, Vacature.status == "open"),
    "invaller": (Invaller, Invaller.naam, Invaller.actief.is_(True)),
    "coach": (Coach, Coach.naam, Coach.actief.is_(True)),
}


def label_of(*, db_session: Session, ctx: AppContext, soort: str, onderwerp_id: str | None) -> str:
    """A readable name for what a match proposes (a route title, a vacature, a person)."""
    if not onderwerp_id or onderwerp_id == "-":
        return "geen voorstel"
    if soort in ("advies", "route"):
        route = next((r for r in ctx.knowledge.routes.routes if r.id == onderwerp_id), None)
        return route.title.nl if route else onderwerp_id
    model = _CHOICES[soort][0] if soort in _CHOICES else None
    row = db_session.get(model, onderwerp_id) if model is not None else None
    if row is None:
        return onderwerp_id
    return str(getattr(row, "titel", None) or getattr(row, "naam", onderwerp_id))


def alternatives(
    *, db_session: Session, ctx: AppContext, match: Match, limit: int = 200
) -> list[Alternative]:
    """What staff may choose instead of the proposal (never the proposal itself)."""
    out: list[Alternative] = []
    if match.soort in ("advies", "route"):
        out = [Alternative(r.id, r.title.nl) for r in ctx.knowledge.routes.routes]
    elif match.soort in _CHOICES:
        model, label, active = _CHOICES[match.soort]
        rows = db_session.execute(
            select(model.id, label).where(active).order_by(label, model.id).limit(limit)
        ).all()
        out = [Alternative(i, f"{text} ({i})") for i, text in rows]
    return [a for a in out if a.id != match.onderwerp_id]


def _chosen_exists(db_session: Session, ctx: AppContext, soort: str, keuze: str) -> bool:
    if soort in ("advies", "route"):
        return any(r.id == keuze for r in ctx.knowledge.routes.routes)
    return db_session.get(_CHOICES[soort][0], keuze) is not None


def _route_reason(match: Match, route_id: str) -> str | None:
    for route in (match.gegevens or {}).get("routes", []) or []:
        if isinstance(route, dict) and route.get("id") == route_id and route.get("reasons"):
            return str(route["reasons"][0])
    return None


def decide(
    *,
    db_session: Session,
    ctx: AppContext,
    match_id: str,
    account: Medewerker,
    besluit: str,
    reden: str = "",
    keuze: str = "",
    ip: str | None = None,
) -> Match:
    """Approve, reject or override a proposal; tell the person when it is about their next step."""
    if besluit not in BESLUITEN:
        raise ReviewError("Kies goedkeuren, afwijzen of aanpassen.")
    reden = reden.strip()
    if len(reden) > MAX_REASON:
        raise ReviewError(f"De reden is te lang: houd het korter dan {MAX_REASON} tekens.")
    if besluit in ("afwijzen", "overschrijven") and len(reden) < 3:
        raise ReviewError("Schrijf kort waarom je afwijst of aanpast. Dat helpt om de regels te verbeteren.")
    match = get(db_session=db_session, match_id=match_id)
    if match is None:
        raise LookupError(match_id)
    keuze = keuze.strip()[:64]
    if besluit == "overschrijven":
        if not keuze:
            raise ReviewError("Kies wat je in plaats van het voorstel adviseert.")
        if keuze == match.onderwerp_id:
            raise ReviewError(
                "Je koos hetzelfde als het voorstel. Kies iets anders, of keur het voorstel goed."
            )
        if not _chosen_exists(db_session, ctx, match.soort, keuze):
            raise ReviewError("Wat je koos bestaat niet (meer). Kies opnieuw uit de lijst.")
    status = {"goedkeuren": "goedgekeurd", "afwijzen": "afgewezen", "overschrijven": "overschreven"}[besluit]
    now = clock.now()
    done = db_session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == "voorgesteld")
        .values(
            status=status,
            beoordelaar_id=account.id,
            reden=reden or None,
            vervangen_door=keuze if besluit == "overschrijven" else None,
            beoordeeld_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise ReviewError("Dit voorstel is al beoordeeld. Ververs de pagina om het besluit te zien.")
    db_session.refresh(match)
    record(
        db_session=db_session,
        actor=f"medewerker:{account.id}",
        action=f"match.{besluit}",
        object_type="match",
        object_id=match.id,
        ip=ip,
        detail={
            "soort": match.soort,
            "voorstel": match.onderwerp_id,
            "keuze": keuze or None,
            "kandidaat_id": match.kandidaat_id,
        },
    )
    if status in ("goedgekeurd", "overschreven") and match.soort in TOLD_TO_PERSON:
        _tell_person(db_session, ctx, match, account)
    return match


def _tell_person(db_session: Session, ctx: AppContext, match: Match, account: Medewerker) -> None:
    kandidaat = db_session.get(Kandidaat, match.kandidaat_id) if match.kandidaat_id else None
    sessie = db_session.get(IntakeSessie, match.sessie_id) if match.sessie_id else None
    if sessie is None and kandidaat is not None:
        sessie = db_session.scalar(
            select(IntakeSessie)
            .where(IntakeSessie.kandidaat_id == kandidaat.id)
            .order_by(IntakeSessie.created_at.desc())
            .limit(1)
        )
    chosen = match.vervangen_door or match.onderwerp_id
    if chosen == "-":
        return
    language = sessie.language if sessie is not None else "nl"
    title = label_of(db_session=db_session, ctx=ctx, soort=match.soort, onderwerp_id=chosen)
    reason = _route_reason(match, chosen) if match.soort in ("advies", "route") else None
    if reason is None and not match.vervangen_door and match.redenen:
        reason = str(match.redenen[0])
    text = messaging.advice_message(
        language=language, title=title, reason=reason, overridden=match.status == "overschreven"
    )
    intake.tell(
        db_session=db_session, sessie=sessie, text=text, author=account.id,
        email=kandidaat.email if kandidaat is not None else None, subject=messaging.advice_subject(language),
    )
    if kandidaat is not None and kandidaat.fase == "nieuw":
        kandidaat.fase = "geinformeerd"


EXPORT_COLUMNS = [
    "id",
    "soort",
    "status",
    "kandidaat_id",
    "kandidaat",
    "voorstel_id",
    "voorstel",
    "score",
    "redenen",
    "gekozen_id",
    "gekozen",
    "reden",
    "beoordelaar",
    "voorgesteld_op",
    "beoordeeld_op",
]


def export_rows(
    *,
    db_session: Session,
    ctx: AppContext,
    status: str | None = None,
    soort: str | None = None,
    limit: int = 50_000,
) -> list[list[Any]]:
    """One row per match (newest first) with the proposal, the decision and who took it."""
    query = (
        select(Match, Kandidaat.naam, Medewerker.naam)
        .outerjoin(Kandidaat, Match.kandidaat_id == Kandidaat.id)
        .outerjoin(Medewerker, Match.beoordelaar_id == Medewerker.id)
        .order_by(Match.created_at.desc(), Match.id)
        .limit(limit)
    )
    if status in STATUS_LABELS:
        query = query.where(Match.status == status)
    if soort in SOORTEN:
        query = query.where(Match.soort == soort)
    labels: dict[tuple[str, str], str] = {}

    def label(kind: str, oid: str | None) -> str:
        if not oid:
            return ""
        key = (kind, oid)
        if key not in labels:
            labels[key] = label_of(db_session=db_session, ctx=ctx, soort=kind, onderwerp_id=oid)
        return labels[key]

    return [
        [
            m.id,
            m.soort,
            STATUS_LABELS.get(m.status, m.status),
            m.kandidaat_id,
            k_naam,
            m.onderwerp_id,
            label(m.soort, m.onderwerp_id),
            round(m.score, 3),
            " | ".join(str(r) for r in m.redenen or []),
            m.vervangen_door,
            label(m.soort, m.vervangen_door),
            m.reden,
            b_naam,
            m.created_at,
            m.beoordeeld_at,
        ]
        for m, k_naam, b_naam in db_session.execute(query).all()
    ]


LABEL_COLUMNS = ["match_id", "soort", "label", "voorstel_id", "gekozen_id", "reden", "score", "beoordeeld_op"]


def labelled_rows(
    *, db_session: Session, slots: list[str], limit: int = 50_000
) -> tuple[list[str], list[list[Any]]]:
    """Every decided proposal as a training row: label, proposal, choice, reason and the intake answers."""
    query = (
        select(Match, IntakeSessie.profile)
        .outerjoin(IntakeSessie, Match.sessie_id == IntakeSessie.id)
        .where(Match.status != "voorgesteld")
        .order_by(Match.beoordeeld_at, Match.id)
        .limit(limit)
    )
    rows = []
    for m, profile in db_session.execute(query).all():
        profile = profile or {}
        rows.append(
            [
                m.id,
                m.soort,
                m.status,
                m.onderwerp_id,
                (m.vervangen_door or m.onderwerp_id) if m.status != "afgewezen" else None,
                m.reden,
                round(m.score, 3),
                m.beoordeeld_at,
            ]
            + [profile.get(s) for s in slots]
        )
    return LABEL_COLUMNS + slots, rows
