"""Demo invalpool rows: eight weeks of past vervangingsvragen (filled or not, with offers and worked days,
so the figures have something to show) and open vragen for the coming school days, waiting for dispatch."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from knowledge.schema.region import Region

# Fill chances by lead time, near what pools report (anchors: 80-85 % normally, about 54 % same day).
FILL_CHANCE = {0: 0.55, 1: 0.8, 2: 0.85}
PAST_WEEKS = 8


def _school_days(start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _vraag(vraag_id: str, school: dict[str, Any], day: date, created: datetime, rnd: random.Random,
           **extra: Any) -> dict[str, Any]:
    row = {
        "id": vraag_id, "school_id": school["id"], "bestuur_id": school["bestuur_id"], "datum_van": day,
        "datum_tot": day, "dagdelen": ["ochtend", "middag"], "groepen": [rnd.choice(["1-2", "3-4", "5-6", "7-8"])],
        "uren": 6.0, "vereist": "gym_bevoegdheid" if rnd.random() < 0.05 else "po_bevoegdheid", "notities": "",
        "urgentie": "normaal", "status": "open", "invaller_id": None, "genoemde_invaller_id": None,
        "huidige_tier": 0, "created_at": created, "gevuld_at": None, "volgende_release_at": None,
        "deadline_at": None, "geescaleerd_at": None, "gewijzigd_at": None,
    }
    row.update(extra)
    return row


def extend(data: Any, *, region: Region, rnd: random.Random, today: date, scale: str) -> None:
    """Add demo vervangingsvragen, offers and worked days to ``data`` (deterministic from ``rnd``)."""
    t = data.tables
    besturen = t.get("bestuur", [])
    if besturen:
        besturen[0]["in_invalpool"] = True  # the demo bestuur account (bestuur-0001) can use the pool
    pool_besturen = {b["id"] for b in besturen if b["in_invalpool"]}
    schools = [s for s in t.get("school", []) if s["bestuur_id"] in pool_besturen]
    invallers = t.get("invaller", [])
    if not schools or not invallers:
        return
    approved: dict[str, list[str]] = {}
    for g in t.get("invaller_goedkeuring", []):
        approved.setdefault(g["bestuur_id"], []).append(g["invaller_id"])
    per_week = 25 if scale == "region" else 250
    vragen: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    worked: list[dict[str, Any]] = []
    busy: set[tuple[str, date]] = set()

    past = _school_days(today - timedelta(weeks=PAST_WEEKS), today - timedelta(days=1))
    for n in range(per_week * PAST_WEEKS):
        day = rnd.choice(past)
        school = rnd.choice(schools)
        lead = rnd.choices([0, 1, 2, 3, 5], weights=[3, 4, 2, 1, 1])[0]
        created = datetime.combine(day - timedelta(days=lead), time(6, 30), UTC)
        created += timedelta(minutes=rnd.randint(0, 600))
        vraag_id = f"demo-vraag-{n + 1:05d}"
        pool = approved.get(school["bestuur_id"]) or [i["id"] for i in invallers[:50]]
        asked = rnd.sample(pool, min(len(pool), rnd.randint(1, 6)))
        free = [i for i in asked if (i, day) not in busy]
        filled = bool(free) and rnd.random() < FILL_CHANCE[min(lead, 2)]
        winner = rnd.choice(free) if filled else None
        extra: dict[str, Any] = {"urgentie": "zelfde_dag" if lead == 0 else "normaal",
                                 "status": "afgerond" if winner else "verlopen", "huidige_tier": rnd.randint(1, 6)}
        if winner:
            extra.update(invaller_id=winner, gevuld_at=created + timedelta(minutes=rnd.randint(4, 300)))
            busy.add((winner, day))
            worked.append({"invaller_id": winner, "vraag_id": vraag_id, "datum": day})
        vragen.append(_vraag(vraag_id, school, day, created, rnd, **extra))
        for k, invaller_id in enumerate(asked):
            status = "geaccepteerd" if invaller_id == winner else rnd.choice(["geweigerd", "vergeven", "verlopen"])
            offers.append({"id": f"demo-aanbod-{n + 1:05d}-{k}", "vraag_id": vraag_id, "invaller_id": invaller_id,
                           "tier": min(k, 5), "status": status, "score": round(rnd.uniform(0.3, 0.95), 4),
                           "redenen": [], "verstuurd_at": created + timedelta(minutes=k),
                           "beantwoord_at": created + timedelta(minutes=k + rnd.randint(1, 120)),
                           "herinnerd_at": None})

    # Open vragen for the coming school days: the dispatch job releases their first wave on its next run.
    upcoming = _school_days(today + timedelta(days=1), today + timedelta(days=10))[:5]
    now = datetime.combine(today, time(6, 0), UTC)
    own = [s for s in schools if s["bestuur_id"] == besturen[0]["id"]] or schools
    for n in range(per_week // 2):
        day = upcoming[n % len(upcoming)]
        school = own[n % len(own)] if n < 4 else rnd.choice(schools)
        deadline = datetime.combine(day - timedelta(days=1), time(15, 0), UTC)
        vragen.append(_vraag(f"demo-open-{n + 1:04d}", school, day, now, rnd, volgende_release_at=now,
                             deadline_at=max(deadline, now + timedelta(hours=1))))
    t["vervangingsvraag"] = vragen
    t["aanbod"] = offers
    t["inzet_dag"] = worked
