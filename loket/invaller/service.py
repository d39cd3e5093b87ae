"""Reading and writing invallers: profile, availability, approvals, personal links, and the pool for matching."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from loket.auth import links
from loket.bestuur.models import Bestuur, School
from loket.invaller.models import Beschikbaarheid, Invaller, InvallerGoedkeuring, SchoolVoorkeur
from loket.vervangingsvraag.models import InzetDag, Vervangingsvraag
from matching.invalpool import DAGDELEN, GROEPEN, InvallerData, Pool

LINK_PURPOSE = "invaller"
# A personal link lasts a school year and a bit; every offer e-mail carries a fresh one.
LINK_MAX_AGE_SECONDS = 400 * 24 * 3600
LOAD_WINDOW_DAYS = 28  # fairness: days worked in the last four weeks
HISTORY_DAYS = 365  # continuity: days worked at a school in the last year
FILLED = ("gevuld", "afgerond")
APPROVAL_STATES = ("aangevraagd", "goedgekeurd", "afgewezen")


def get(*, db_session: Session, invaller_id: str) -> Invaller | None:
    """The invaller with this id, or None."""
    return db_session.get(Invaller, invaller_id)


def personal_link(*, base_url: str, secret: str, invaller_id: str) -> str:
    """The invaller's own long-lived page (profile, calendar, offers), signed so nobody else can open it."""
    return f"{base_url}/invaller/{links.sign(secret, LINK_PURPOSE, invaller_id)}"


def from_token(*, db_session: Session, secret: str, token: str) -> Invaller:
    """The invaller of a personal-link token; LinkInvalid when forged, expired or the person is gone."""
    invaller_id = links.verify(secret, LINK_PURPOSE, token, max_age_seconds=LINK_MAX_AGE_SECONDS)
    invaller = db_session.get(Invaller, invaller_id)
    if invaller is None:
        raise links.LinkInvalid(expired=False)
    return invaller


def availability(*, db_session: Session, invaller_id: str, van: date, tot: date) -> dict[date, set[str]]:
    """Day -> the day parts (ochtend, middag) the invaller said they are available, from van to tot."""
    rows = db_session.scalars(select(Beschikbaarheid).where(
        Beschikbaarheid.invaller_id == invaller_id, Beschikbaarheid.datum >= van, Beschikbaarheid.datum <= tot))
    return _slots(rows)


def _slots(rows: Iterable[Beschikbaarheid]) -> dict[date, set[str]]:
    out: dict[date, set[str]] = defaultdict(set)
    unavailable: set[tuple[date, str]] = set()
    for row in rows:
        parts = DAGDELEN if row.dagdeel == "dag" else (row.dagdeel,)
        for part in parts:
            if row.beschikbaar:
                out[row.datum].add(part)
            else:
                unavailable.add((row.datum, part))
    # An explicit "not available" wins over a "whole day" row of the same day.
    for day, part in unavailable:
        out[day].discard(part)
    return {d: p for d, p in out.items() if p}


def set_availability(*, db_session: Session, invaller_id: str, van: date, tot: date,
                     slots: Mapping[date, Iterable[str]]) -> int:
    """Replace the invaller's availability from van to tot with ``slots``; return the number of rows."""
    db_session.execute(delete(Beschikbaarheid).where(
        Beschikbaarheid.invaller_id == invaller_id, Beschikbaarheid.datum >= van, Beschikbaarheid.datum <= tot))
    count = 0
    for day, parts in sorted(slots.items()):
        chosen = set(parts) & set(DAGDELEN)
        if not (van <= day <= tot) or not chosen:
            continue
        for part in (["dag"] if chosen == set(DAGDELEN) else sorted(chosen)):
            db_session.add(Beschikbaarheid(invaller_id=invaller_id, datum=day, dagdeel=part, beschikbaar=True))
            count += 1
    db_session.flush()
    return count


def update_profile(*, db_session: Session, invaller: Invaller, groepen: Iterable[str], max_afstand_km: float,
                   onbeschikbaar_tot: date | None) -> Invaller:
    """Change what the invaller may change themselves (bevoegdheden and documents are checked by the loket)."""
    invaller.groepen = [g for g in GROEPEN if g in set(groepen)]
    invaller.max_afstand_km = max_afstand_km
    invaller.onbeschikbaar_tot = onbeschikbaar_tot
    db_session.flush()
    return invaller


def set_approval(*, db_session: Session, invaller_id: str, bestuur_id: str, status: str) -> InvallerGoedkeuring:
    """Record a bestuur's decision about an invaller (aangevraagd, goedgekeurd, afgewezen)."""
    if status not in APPROVAL_STATES:
        raise ValueError(f"unknown approval status {status!r}")
    row = db_session.scalar(select(InvallerGoedkeuring).where(
        InvallerGoedkeuring.invaller_id == invaller_id, InvallerGoedkeuring.bestuur_id == bestuur_id))
    if row is None:
        row = InvallerGoedkeuring(invaller_id=invaller_id, bestuur_id=bestuur_id, status=status)
        db_session.add(row)
    else:
        row.status = status
    db_session.flush()
    return row


def approvals(*, db_session: Session, bestuur_id: str) -> dict[str, str]:
    """Invaller id -> approval status for one bestuur."""
    rows = db_session.execute(select(InvallerGoedkeuring.invaller_id, InvallerGoedkeuring.status).where(
        InvallerGoedkeuring.bestuur_id == bestuur_id))
    return dict(rows.all())


def set_school_preference(*, db_session: Session, school_id: str, invaller_id: str, preferred: bool) -> None:
    """Put an invaller on (or take them off) a school's preferred list."""
    existing = db_session.scalar(select(SchoolVoorkeur).where(
        SchoolVoorkeur.school_id == school_id, SchoolVoorkeur.invaller_id == invaller_id))
    if preferred and existing is None:
        db_session.add(SchoolVoorkeur(school_id=school_id, invaller_id=invaller_id))
    elif not preferred and existing is not None:
        db_session.delete(existing)
    db_session.flush()


def school_preferences(*, db_session: Session, school_ids: Iterable[str]) -> dict[str, set[str]]:
    """School id -> the invaller ids on its preferred list."""
    ids = list(school_ids)
    out: dict[str, set[str]] = defaultdict(set)
    if ids:
        for school_id, invaller_id in db_session.execute(select(SchoolVoorkeur.school_id, SchoolVoorkeur.invaller_id)
                                                         .where(SchoolVoorkeur.school_id.in_(ids))):
            out[school_id].add(invaller_id)
    return out


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)


def chain_counts(*, db_session: Session, ref: date, invaller_ids: Iterable[str] | None = None
                 ) -> dict[str, dict[str, int]]:
    """Invaller id -> bestuur id -> contracts (filled vragen) within that bestuur's chain period before ``ref``.

    Every filled vraag is one cover contract with the school's bestuur (the WWZ chain rule counts those).
    """
    periods = dict(db_session.execute(select(Bestuur.id, Bestuur.ketenperiode_maanden)).all())
    longest = max(periods.values(), default=36)
    query = (select(Vervangingsvraag.invaller_id, Vervangingsvraag.bestuur_id, Vervangingsvraag.datum_van)
             .where(Vervangingsvraag.status.in_(FILLED), Vervangingsvraag.invaller_id.is_not(None),
                    Vervangingsvraag.datum_van >= months_before(ref, longest), Vervangingsvraag.datum_van <= ref))
    if invaller_ids is not None:
        query = query.where(Vervangingsvraag.invaller_id.in_(list(invaller_ids)))
    cutoffs = {b: months_before(ref, m) for b, m in periods.items()}
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for invaller_id, bestuur_id, day in db_session.execute(query):
        if day >= cutoffs.get(bestuur_id, ref):
            out[invaller_id][bestuur_id] += 1
    return out


def load_pool(*, db_session: Session, dagen: Iterable[date], invaller_ids: Iterable[str] | None = None) -> Pool:
    """Every active invaller (or only ``invaller_ids``) as matcher data for the school days ``dagen``."""
    days = sorted(set(dagen))
    if not days:
        raise ValueError("load_pool needs at least one school day")
    first, last = days[0], days[-1]
    query = select(Invaller).where(Invaller.actief.is_(True))
    ids = list(invaller_ids) if invaller_ids is not None else None
    if ids is not None:
        query = query.where(Invaller.id.in_(ids))
    invallers = db_session.scalars(query).all()

    def by_invaller(stmt):  # type: ignore[no-untyped-def]
        grouped: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
        for row in db_session.execute(stmt):
            grouped[row[0]].append(row[1:])
        return grouped

    approved = by_invaller(select(InvallerGoedkeuring.invaller_id, InvallerGoedkeuring.bestuur_id)
                           .where(InvallerGoedkeuring.status == "goedgekeurd"))
    slots_rows = db_session.scalars(select(Beschikbaarheid).where(Beschikbaarheid.datum.in_(days))).all()
    per_invaller_rows: dict[str, list[Beschikbaarheid]] = defaultdict(list)
    for row in slots_rows:
        per_invaller_rows[row.invaller_id].append(row)
    busy = by_invaller(select(InzetDag.invaller_id, InzetDag.datum).where(InzetDag.datum.in_(days)))
    load = dict(db_session.execute(
        select(InzetDag.invaller_id, func.count()).where(
            InzetDag.datum >= first - timedelta(days=LOAD_WINDOW_DAYS), InzetDag.datum < first)
        .group_by(InzetDag.invaller_id)).all())
    history = by_invaller(
        select(InzetDag.invaller_id, Vervangingsvraag.school_id, func.count())
        .join(Vervangingsvraag, Vervangingsvraag.id == InzetDag.vraag_id)
        .where(InzetDag.datum >= first - timedelta(days=HISTORY_DAYS), InzetDag.datum < first)
        .group_by(InzetDag.invaller_id, Vervangingsvraag.school_id))
    chains = chain_counts(db_session=db_session, ref=last, invaller_ids=ids)

    data = []
    for inv in invallers:
        slots = _slots(per_invaller_rows.get(inv.id, []))
        data.append(InvallerData(
            id=inv.id, lat=inv.lat, lon=inv.lon, max_afstand_km=inv.max_afstand_km,
            bevoegdheden=frozenset(inv.bevoegdheden or []), groepen=frozenset(inv.groepen or []), tier=inv.tier,
            actief=inv.actief, vog_geldig_tot=inv.vog_geldig_tot, id_geldig_tot=inv.id_geldig_tot,
            onbeschikbaar_tot=inv.onbeschikbaar_tot,
            goedgekeurd_door=frozenset(b for (b,) in approved.get(inv.id, [])),
            beschikbaar=frozenset((d, p) for d, parts in slots.items() for p in parts),
            bezet=frozenset(d for (d,) in busy.get(inv.id, [])),
            ketencontracten=dict(chains.get(inv.id, {})),
            belasting_dagen=float(load.get(inv.id, 0)),
            dagen_per_school={s: int(c) for s, c in history.get(inv.id, [])},
            voorkeur_scholen=frozenset(inv.voorkeur_scholen or []),
        ))
    return Pool.build(data)


def assignments(*, db_session: Session, invaller_id: str, van: date) -> list[tuple[Vervangingsvraag, School]]:
    """The invaller's assignments ending on or after ``van``, with their schools."""
    rows = db_session.execute(
        select(Vervangingsvraag, School).join(School, School.id == Vervangingsvraag.school_id)
        .where(Vervangingsvraag.invaller_id == invaller_id, Vervangingsvraag.status.in_(FILLED),
               Vervangingsvraag.datum_tot >= van)
        .order_by(Vervangingsvraag.datum_van)).all()
    return list(rows)
