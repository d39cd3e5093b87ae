"""Reading and writing coaches, and the figures routing needs about them (load, last assignment, place)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.coach.models import EXPERTISE_TAGS, Coach
from loket.loopbaangesprek.models import LoopbaangesprekToewijzing
from loket.regio.models import Plaats
from matching.coaching import CoachInfo

DAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
# Offers that count against a coach's capacity this week.
COUNTING = ("aangeboden", "geaccepteerd")


def get(*, db_session: Session, coach_id: str) -> Coach | None:
    """The coach with this id, or None."""
    return db_session.get(Coach, coach_id) if len(coach_id) <= 32 else None


def all_coaches(*, db_session: Session) -> list[Coach]:
    """Every coach, by name."""
    return list(db_session.scalars(select(Coach).order_by(Coach.naam, Coach.id)))


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the week of ``now`` (same time zone as ``now``)."""
    monday = now.date() - timedelta(days=now.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=now.tzinfo)


def _subregio_centres(db_session: Session) -> dict[str, tuple[float, float]]:
    rows = db_session.execute(
        select(Plaats.subregio_id, func.avg(Plaats.lat), func.avg(Plaats.lon))
        .where(Plaats.subregio_id.is_not(None)).group_by(Plaats.subregio_id)
    ).all()
    return {sid: (float(lat), float(lon)) for sid, lat, lon in rows}


def routing_infos(*, db_session: Session, now: datetime) -> list[CoachInfo]:
    """Every coach as routing sees it: capacity, load since Monday, last assignment, subregio centre."""
    since = week_start(now)
    load = dict(db_session.execute(
        select(LoopbaangesprekToewijzing.coach_id, func.count())
        .where(LoopbaangesprekToewijzing.status.in_(COUNTING),
               LoopbaangesprekToewijzing.aangeboden_at >= since)
        .group_by(LoopbaangesprekToewijzing.coach_id)
    ).all())
    last = dict(db_session.execute(
        select(LoopbaangesprekToewijzing.coach_id, func.max(LoopbaangesprekToewijzing.aangeboden_at))
        .group_by(LoopbaangesprekToewijzing.coach_id)
    ).all())
    centres = _subregio_centres(db_session)
    infos = []
    for coach in all_coaches(db_session=db_session):
        lat, lon = centres.get(coach.subregio_id or "", (None, None))
        infos.append(CoachInfo(
            id=coach.id, bestuur_id=coach.bestuur_id, expertise=tuple(coach.expertise or ()),
            subregio_id=coach.subregio_id, capacity_per_week=coach.capaciteit_per_week,
            load_this_week=int(load.get(coach.id, 0)), last_assigned_at=last.get(coach.id),
            active=coach.actief, absent_from=coach.afwezig_vanaf, absent_until=coach.afwezig_tot,
            lat=lat, lon=lon, name=coach.naam,
        ))
    return infos


def parse_windows(text: str) -> dict[str, list[str]]:
    """``"ma 09:00-12:00, wo 13:00-17:00"`` → ``{"ma": ["09:00-12:00"], "wo": ["13:00-17:00"]}``.

    Raises ValueError with a Dutch sentence naming the part that is wrong.
    """
    windows: dict[str, list[str]] = {}
    for part in re.split(r"[,;\n]+", text[:2000]):
        part = part.strip()
        if not part:
            continue
        pieces = part.split()
        if len(pieces) != 2 or pieces[0].lower()[:2] not in DAGEN:
            raise ValueError(f"'{part[:40]}' is geen dag met tijden. Schrijf bijvoorbeeld: ma 09:00-12:00")
        day, span = pieces[0].lower()[:2], pieces[1]
        match = _WINDOW.match(span)
        if not match:
            raise ValueError(f"'{span[:20]}' is geen tijdvak. Schrijf bijvoorbeeld: 09:00-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if not (0 <= h1 < 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
            raise ValueError(f"'{span}' klopt niet: de begintijd moet voor de eindtijd liggen.")
        windows.setdefault(day, []).append(f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}")
    return windows


def format_windows(windows: dict[str, Any]) -> str:
    """The opposite of :func:`parse_windows`, for a form field."""
    return ", ".join(f"{day} {span}" for day in DAGEN for span in windows.get(day, []))


def update_profile(*, db_session: Session, coach: Coach, capaciteit: int, afwezig_vanaf: date | None,
                   afwezig_tot: date | None, beschikbaarheid: dict[str, list[str]],
                   expertise: list[str] | None = None) -> Coach:
    """Change what a coach may change about themself; raise ValueError with a Dutch sentence."""
    if not 0 <= capaciteit <= 20:
        raise ValueError("Vul bij capaciteit een aantal tussen 0 en 20 gesprekken per week in.")
    if afwezig_vanaf and not afwezig_tot:
        raise ValueError("Vul ook in tot wanneer je afwezig bent.")
    if afwezig_vanaf and afwezig_tot and afwezig_vanaf > afwezig_tot:
        raise ValueError("De eerste dag van je afwezigheid moet voor de laatste dag liggen.")
    if expertise is not None:
        unknown = [t for t in expertise if t not in EXPERTISE_TAGS]
        if unknown:
            raise ValueError("Onbekende expertise: " + ", ".join(unknown[:3]))
        coach.expertise = sorted(set(expertise))
    coach.capaciteit_per_week = capaciteit
    coach.afwezig_vanaf, coach.afwezig_tot = afwezig_vanaf, afwezig_tot
    coach.beschikbaarheid = beschikbaarheid
    return coach
