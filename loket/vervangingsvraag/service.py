"""Reading and writing vervangingsvragen and offers; the atomic claim; the figures of the pool."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from loket.bestuur.models import Bestuur, School
from loket.invaller import service as invaller_service
from loket.vervangingsvraag.models import Aanbod, InzetDag, Vervangingsvraag
from matching.invalpool import DAGDELEN, VraagData

LOCAL = ZoneInfo("Europe/Amsterdam")  # school days and deadlines are Dutch local time
ACTIVE_OFFER = ("verstuurd", "wachtlijst")

SCHOOL_START = time(8, 0)
DEADLINE_HOUR = time(16, 0)  # unfilled at 16:00 the day before: the loket steps in
SAME_DAY_GRACE = timedelta(minutes=60)


def local_today(now: datetime) -> date:
    """The Dutch calendar day of ``now``."""
    return now.astimezone(LOCAL).date()


def school_days(van: date, tot: date) -> list[date]:
    """Monday-to-Friday days from van to tot (inclusive)."""
    days, d = [], van
    while d <= tot:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def is_same_day(vraag: Vervangingsvraag, now: datetime) -> bool:
    """Same-day mode: marked urgent, or the cover starts today (or already started)."""
    return vraag.urgentie == "zelfde_dag" or vraag.datum_van <= local_today(now)


def deadline_for(vraag: Vervangingsvraag, now: datetime) -> datetime:
    """When an unfilled vraag goes to the loket: 16:00 the school day before, at least an hour from now,
    and never after school starts on the first day."""
    start = datetime.combine(vraag.datum_van, SCHOOL_START, LOCAL)
    day_before = datetime.combine(vraag.datum_van - timedelta(days=1), DEADLINE_HOUR, LOCAL)
    deadline = max(day_before, now + SAME_DAY_GRACE)
    return min(deadline, max(start, now + SAME_DAY_GRACE)).astimezone(now.tzinfo)


def get(*, db_session: Session, vraag_id: str, for_update: bool = False) -> Vervangingsvraag | None:
    """The vraag with this id, or None."""
    query = select(Vervangingsvraag).where(Vervangingsvraag.id == vraag_id).execution_options(populate_existing=True)
    if for_update:
        query = query.with_for_update()
    return db_session.scalar(query)


def list_for(*, db_session: Session, bestuur_id: str | None, status: str | None = None,
             limit: int = 200) -> list[tuple[Vervangingsvraag, School]]:
    """Vragen (newest first) of one bestuur, or of all when ``bestuur_id`` is None, with their schools."""
    query = select(Vervangingsvraag, School).join(School, School.id == Vervangingsvraag.school_id)
    if bestuur_id is not None:
        query = query.where(Vervangingsvraag.bestuur_id == bestuur_id)
    if status:
        query = query.where(Vervangingsvraag.status == status)
    query = query.order_by(Vervangingsvraag.datum_van.desc(), Vervangingsvraag.created_at.desc()).limit(limit)
    return list(db_session.execute(query).all())


def schools_for(*, db_session: Session, bestuur_id: str | None) -> list[School]:
    """The schools a bestuur may post for (all schools of participating besturen for staff)."""
    query = select(School).join(Bestuur, Bestuur.id == School.bestuur_id).where(Bestuur.in_invalpool.is_(True))
    if bestuur_id is not None:
        query = query.where(School.bestuur_id == bestuur_id)
    return list(db_session.scalars(query.order_by(School.naam, School.id)))


def offers(*, db_session: Session, vraag_id: str) -> list[Aanbod]:
    """All offers of a vraag, oldest first."""
    return list(db_session.scalars(select(Aanbod).where(Aanbod.vraag_id == vraag_id)
                                   .order_by(Aanbod.verstuurd_at, Aanbod.id)))


def vraag_data(*, db_session: Session, vraag: Vervangingsvraag) -> VraagData:
    """The vraag as the matcher sees it (school location, school days, the school's preferred list)."""
    school = db_session.get(School, vraag.school_id)
    bestuur = db_session.get(Bestuur, vraag.bestuur_id)
    assert school is not None and bestuur is not None
    preferred = invaller_service.school_preferences(db_session=db_session, school_ids=[school.id])
    return VraagData(
        id=vraag.id, school_id=school.id, bestuur_id=bestuur.id, lat=school.lat, lon=school.lon,
        dagen=tuple(school_days(vraag.datum_van, vraag.datum_tot)),
        dagdelen=tuple(p for p in DAGDELEN if p in (vraag.dagdelen or DAGDELEN)) or DAGDELEN,
        groepen=tuple(vraag.groepen or ()), vereist=vraag.vereist,
        max_ketencontracten=bestuur.max_ketencontracten,
        voorkeur_invallers=frozenset(preferred.get(school.id, set())),
    )


def _insert_days_ignoring_conflicts(db_session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert claimed days; a day the invaller already works is skipped (not an error). Return how many went in."""
    if db_session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (insert(InzetDag).values(rows).on_conflict_do_nothing(index_elements=["invaller_id", "datum"])
            .returning(InzetDag.id))
    # Count the returned ids: rowcount is not reliable for multi-row inserts on every driver.
    return len(db_session.execute(stmt).all())


def claim(*, db_session: Session, vraag_id: str, invaller_id: str, now: datetime) -> str:
    """Atomically give an open vraag to an invaller: "ok", "bezet" (someone else has it or it is closed)
    or "overlap" (the invaller already works on one of its days).

    Never check-then-write: one conditional UPDATE decides who wins (the database serialises it, so of
    fifty simultaneous accepts exactly one sees rowcount 1), and the unique (invaller_id, datum) of
    ``inzet_dag`` stops two overlapping assignments. Both happen in the caller's transaction.
    """
    won = db_session.connection().execute(
        update(Vervangingsvraag)
        .where(Vervangingsvraag.id == vraag_id, Vervangingsvraag.invaller_id.is_(None),
               Vervangingsvraag.status == "open")
        .values(invaller_id=invaller_id, status="gevuld", gevuld_at=now, volgende_release_at=None)
    ).rowcount
    if won != 1:
        return "bezet"
    vraag = get(db_session=db_session, vraag_id=vraag_id)
    assert vraag is not None
    days = school_days(vraag.datum_van, vraag.datum_tot)
    rows = [{"invaller_id": invaller_id, "vraag_id": vraag_id, "datum": d} for d in days]
    if rows and _insert_days_ignoring_conflicts(db_session, rows) < len(rows):
        # A day was taken already: undo this claim in the same transaction (nothing became visible).
        db_session.execute(delete(InzetDag).where(InzetDag.vraag_id == vraag_id, InzetDag.invaller_id == invaller_id)
                           .execution_options(synchronize_session=False))
        db_session.execute(
            update(Vervangingsvraag).where(Vervangingsvraag.id == vraag_id, Vervangingsvraag.invaller_id == invaller_id)
            .values(invaller_id=None, status="open", gevuld_at=None).execution_options(synchronize_session=False))
        get(db_session=db_session, vraag_id=vraag_id)  # refresh the session's copy
        return "overlap"
    return "ok"


def unclaim(*, db_session: Session, vraag: Vervangingsvraag, status: str = "open") -> str | None:
    """Take the assignment off a vraag (its days are freed); return the invaller id that had it."""
    previous = vraag.invaller_id
    db_session.execute(delete(InzetDag).where(InzetDag.vraag_id == vraag.id).execution_options(
        synchronize_session=False))
    vraag.invaller_id = None
    vraag.gevuld_at = None
    vraag.status = status
    db_session.flush()
    return previous


# --- figures --------------------------------------------------------------------------------------------

def _lead_bucket(vraag: Vervangingsvraag) -> str:
    lead = (vraag.datum_van - local_today(vraag.created_at)).days
    return "zelfde_dag" if lead <= 0 else "1_dag" if lead == 1 else "2_of_meer_dagen"


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))], 1)


def _gini(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if total == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return round((2 * weighted) / (n * total) - (n + 1) / n, 3)


def _summary(vragen: list[Vervangingsvraag], offers_by_vraag: dict[str, list[Aanbod]],
             days_by_invaller: Counter[str]) -> dict[str, Any]:
    needing = [v for v in vragen if v.status != "geannuleerd" or v.gevuld_at is not None]
    filled = [v for v in needing if v.status in ("gevuld", "afgerond")]
    buckets: dict[str, dict[str, Any]] = {}
    for name in ("zelfde_dag", "1_dag", "2_of_meer_dagen"):
        group = [v for v in needing if _lead_bucket(v) == name]
        got = [v for v in group if v.status in ("gevuld", "afgerond")]
        buckets[name] = {"vragen": len(group), "gevuld": len(got),
                         "vulgraad": round(len(got) / len(group), 3) if group else None}
    minutes = [(v.gevuld_at - v.created_at).total_seconds() / 60 for v in filled if v.gevuld_at]
    all_offers = [a for v in needing for a in offers_by_vraag.get(v.id, [])]
    accepted = sum(1 for a in all_offers if a.status == "geaccepteerd")
    days = list(days_by_invaller.values())
    top = sorted(days, reverse=True)[: max(1, len(days) // 10)] if days else []
    return {
        "vragen": len(needing), "gevuld": len(filled),
        "vulgraad": round(len(filled) / len(needing), 3) if needing else None,
        "vulgraad_per_aanlooptijd": buckets,
        "tijd_tot_vullen_minuten": {"mediaan": round(statistics.median(minutes), 1) if minutes else None,
                                    "p90": _percentile(minutes, 0.9)},
        "aanbiedingen_per_acceptatie": round(len(all_offers) / accepted, 2) if accepted else None,
        "spreiding": {"invallers_met_werk": len(days), "dagen": sum(days),
                      "gini": _gini(days),
                      "aandeel_top_10_procent": round(sum(top) / sum(days), 3) if days and sum(days) else None},
    }


def figures(*, db_session: Session, van: date, tot: date, bestuur_id: str | None) -> dict[str, Any]:
    """Fill rate by lead time, time to fill (median, p90), offers per acceptance and spread of work;
    for the whole selection, per bestuur and per school. Vragen count by their first day in van..tot."""
    query = select(Vervangingsvraag).where(Vervangingsvraag.datum_van >= van, Vervangingsvraag.datum_van <= tot)
    if bestuur_id is not None:
        query = query.where(Vervangingsvraag.bestuur_id == bestuur_id)
    vragen = list(db_session.scalars(query))
    ids = [v.id for v in vragen]
    offers_by_vraag: dict[str, list[Aanbod]] = defaultdict(list)
    days_by_vraag: dict[str, Counter[str]] = defaultdict(Counter)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for a in db_session.scalars(select(Aanbod).where(Aanbod.vraag_id.in_(chunk))):
            offers_by_vraag[a.vraag_id].append(a)
        for vraag_id, invaller_id in db_session.execute(
                select(InzetDag.vraag_id, InzetDag.invaller_id).where(InzetDag.vraag_id.in_(chunk))):
            days_by_vraag[vraag_id][invaller_id] += 1

    def days_of(group: list[Vervangingsvraag]) -> Counter[str]:
        total: Counter[str] = Counter()
        for v in group:
            total.update(days_by_vraag.get(v.id, Counter()))
        return total

    by_bestuur: dict[str, list[Vervangingsvraag]] = defaultdict(list)
    by_school: dict[str, list[Vervangingsvraag]] = defaultdict(list)
    for v in vragen:
        by_bestuur[v.bestuur_id].append(v)
        by_school[v.school_id].append(v)
    return {
        "van": van.isoformat(), "tot": tot.isoformat(), "bestuur": bestuur_id,
        "totaal": _summary(vragen, offers_by_vraag, days_of(vragen)),
        "per_bestuur": {b: _summary(g, offers_by_vraag, days_of(g)) for b, g in sorted(by_bestuur.items())},
        "per_school": {s: _summary(g, offers_by_vraag, days_of(g)) for s, g in sorted(by_school.items())},
    }
