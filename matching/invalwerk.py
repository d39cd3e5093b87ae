"""Rank open cover work (invalpool requests) for a person who is already bevoegd.

Pure: the service passes the open requests with their ISO dates; nothing here reads a clock.
Someone without a bevoegdheid gets an empty list; the service then explains that they can join
the pool once bevoegd.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.advice import InvalwerkMatch
from matching.geo import haversine_km_many
from matching.profile import Profile
from matching.vacatures import (
    DEFAULT_MAX_TRAVEL_KM,
    HOURS_PER_DAY,
    HOURS_SLACK,
    NEUTRAL,
    REQUIRES,
    SCORE_DECIMALS,
    TEXTS,
    CanWork,
    format_km,
    format_number,
    texts_for,
)

# Weights sum to 1.0 so the score stays in 0..1.
W_DISTANCE = 0.40  # cover work is short and often same-day: travel time decides whether people say yes
W_URGENT = 0.25  # same-day requests are filled least often (anchors: 54 % vs 80-85 %), so show them first
W_HOURS = 0.20  # prefer work that fills the days the person offers without going over them
W_SECTOR = 0.15  # po or so wish; the bevoegdheid filter already removed what they may not do
MAX_DATES_SHOWN = 3

INVAL_TEXTS: Mapping[str, Mapping[str, str]] = {
    "nl": {
        "groepen_one": "Groep {groep}",
        "groepen_many": "Groepen {first} en {last}",
        "when": "{hours} uur op {n} dag(en): {dates}",
        "when_open": "{hours} uur; de dagen spreek je af met de school",
        "urgent": "Spoed: de school zoekt snel iemand.",
        "bevoegd": "Je bent bevoegd voor dit werk.",
        "geen_nodig": "Hiervoor heb je geen lesbevoegdheid nodig.",
        "sector_match": "In de sector die je zoekt: {sector}",
        "and_more": "en meer",
    },
    "en": {
        "groepen_one": "Group {groep}",
        "groepen_many": "Groups {first} and {last}",
        "when": "{hours} hours on {n} day(s): {dates}",
        "when_open": "{hours} hours; you agree the days with the school",
        "urgent": "Urgent: the school needs someone soon.",
        "bevoegd": "You are qualified (bevoegd) for this work.",
        "geen_nodig": "You do not need a teaching qualification for this work.",
        "sector_match": "In the sector you are looking for: {sector}",
        "and_more": "and more",
    },
}
_BASE_TEXTS: Mapping[str, Mapping[str, str]] = {lang: {**TEXTS[lang], **INVAL_TEXTS[lang]} for lang in TEXTS}


@dataclass(frozen=True, slots=True)
class Invalwerk:
    """An open vervangingsvraag or pool opening."""

    id: str
    title: str
    school: str
    place: str
    lat: float
    lon: float
    sector: str
    groepen: tuple[str, ...]
    requires: str  # one of matching.vacatures.REQUIRES
    days: tuple[str, ...]  # ISO dates, passed in by the service
    hours: float  # total hours over all days
    urgent: bool


@dataclass(frozen=True, slots=True)
class _Load:
    """How much of a person's week one request asks for."""

    days_in_busiest_week: int
    hours_in_busiest_week: float
    dates: tuple[date, ...]


def _load(item: Invalwerk) -> _Load:
    """Spread the request's hours evenly over its dates and find its busiest ISO week."""
    try:
        dates = tuple(sorted({date.fromisoformat(d) for d in item.days}))
    except ValueError as exc:
        raise ValueError(f"invalwerk {item.id!r}: invalid date ({exc})") from None
    if not dates:
        # No dates yet: the school will agree them, so treat the hours as one week of work.
        return _Load(math.ceil(item.hours / HOURS_PER_DAY), item.hours, ())
    per_week: dict[tuple[int, int], int] = {}
    for d in dates:
        year, week, _ = d.isocalendar()
        per_week[(year, week)] = per_week.get((year, week), 0) + 1
    busiest = max(per_week.values())
    return _Load(busiest, item.hours / len(dates) * busiest, dates)


def _item_problem(item: Invalwerk) -> str | None:
    if item.requires not in REQUIRES:
        return f"unknown requires {item.requires!r}"
    if not (math.isfinite(item.lat) and math.isfinite(item.lon)):
        return "invalid coordinates"
    if not (math.isfinite(item.hours) and item.hours >= 0):
        return "invalid hours"
    return None


def rank_invalwerk(
    profile: Profile,
    items: Sequence[Invalwerk],
    *,
    origin: tuple[float, float] | None,
    can_work: CanWork,
    limit: int = 10,
    language: str = "nl",
    texts: Mapping[str, Mapping[str, str]] | None = None,
) -> list[InvalwerkMatch]:
    """Return the best ``limit`` cover jobs for a bevoegd person, best first, each with its reasons.

    Hard filters: the bevoegdheid the work needs (held now; learning on the job does not count for
    cover work), travel distance from ``origin`` (unknown origin: not used), and the days and hours
    in the busiest week against days_per_week. Equal scores are ordered by id.
    """
    t = texts_for(language, texts, base=_BASE_TEXTS)
    if not can_work.has or limit <= 0 or not items:
        return []
    for item in items:
        problem = _item_problem(item)
        if problem:
            raise ValueError(f"invalwerk {item.id!r}: {problem}")
    if origin is not None and not all(math.isfinite(c) for c in origin):
        origin = None
    max_km = DEFAULT_MAX_TRAVEL_KM if profile.max_travel_km is None else float(profile.max_travel_km)
    days = profile.days_per_week
    available = None if days is None else float(days) * HOURS_PER_DAY

    allowed = [i for i in items if i.requires == "geen" or i.requires in can_work.has]
    if origin is None:
        distances = np.full(len(allowed), np.nan)
    else:
        distances = haversine_km_many(
            origin[0], origin[1], [i.lat for i in allowed], [i.lon for i in allowed]
        )

    scored: list[tuple[float, str, Invalwerk, float, _Load]] = []
    for item, km in zip(allowed, distances.tolist(), strict=True):
        if origin is not None and km > max_km:
            continue
        load = _load(item)
        if _too_much(load, days, available):
            continue
        score = _score(profile, item, km, load, max_km, available)
        scored.append((score, item.id, item, km, load))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [
        _match(profile, item, score, km, load, t, language) for score, _, item, km, load in scored[:limit]
    ]


def _too_much(load: _Load, days: float | None, available: float | None) -> bool:
    """More days in one week than the person offers, or more hours than those days hold (with slack)."""
    if days is None or available is None:
        return False
    return load.days_in_busiest_week > math.ceil(days) or load.hours_in_busiest_week > available + HOURS_SLACK


def _score(
    profile: Profile, item: Invalwerk, km: float, load: _Load, max_km: float, available: float | None
) -> float:
    """Weighted 0..1 score; parts the person has not told us count as neutral."""
    distance = NEUTRAL if math.isnan(km) else min(1.0, max(0.0, 1.0 - km / max(max_km, 1.0)))
    if available is None:
        hours = NEUTRAL
    else:
        gap = abs(load.hours_in_busiest_week - available)
        hours = min(1.0, max(0.0, 1.0 - gap / max(available, HOURS_PER_DAY)))
    sector = profile.target_sector
    known = sector is not None and sector != "weet_niet"
    sector_fit = (1.0 if item.sector == sector else 0.0) if known else NEUTRAL
    total = W_DISTANCE * distance + W_URGENT * float(item.urgent) + W_HOURS * hours + W_SECTOR * sector_fit
    return round(min(1.0, max(0.0, total)), SCORE_DECIMALS)


def _groepen_text(groepen: tuple[str, ...], t: Mapping[str, str]) -> str | None:
    if not groepen:
        return None
    if len(groepen) == 1:
        return t["groepen_one"].format(groep=groepen[0])
    return t["groepen_many"].format(first=", ".join(groepen[:-1]), last=groepen[-1])


def _match(
    profile: Profile,
    item: Invalwerk,
    score: float,
    km: float,
    load: _Load,
    t: Mapping[str, str],
    language: str,
) -> InvalwerkMatch:
    """Build one match with reasons: distance, groepen, days and hours, urgency, bevoegdheid."""
    reasons: list[str] = []
    if math.isnan(km):
        reasons.append(t["no_origin"])
    else:
        reasons.append(
            t["distance"].format(km=format_km(km, language), place=profile.place or t["your_place"])
        )
    groepen = _groepen_text(item.groepen, t)
    if groepen:
        reasons.append(groepen)
    hours = format_number(item.hours, language)
    if load.dates:
        shown = [d.isoformat() for d in load.dates[:MAX_DATES_SHOWN]]
        if len(load.dates) > MAX_DATES_SHOWN:
            shown.append(t["and_more"])
        reasons.append(t["when"].format(hours=hours, n=len(load.dates), dates=", ".join(shown)))
    else:
        reasons.append(t["when_open"].format(hours=hours))
    if item.urgent:
        reasons.append(t["urgent"])
    if profile.target_sector == item.sector:
        reasons.append(t["sector_match"].format(sector=t.get(f"sector.{item.sector}", item.sector)))
    reasons.append(t["geen_nodig"] if item.requires == "geen" else t["bevoegd"])
    return InvalwerkMatch(
        id=item.id,
        title=item.title,
        school=item.school,
        place=item.place,
        distance_km=None if math.isnan(km) else round(km, 1),
        score=score,
        reasons=reasons,
    )
