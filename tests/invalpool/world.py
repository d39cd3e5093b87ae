"""A small invalpool world for service tests: two besturen in Utrecht, their schools, invallers on demand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from loket.bestuur.models import Bestuur, School
from loket.db import transaction
from loket.invaller.models import Beschikbaarheid, Invaller, InvallerGoedkeuring
from loket.regio.models import Plaats, Regio

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)
TODAY = date(2026, 11, 25)  # the frozen clock's Wednesday
TOMORROW = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)


def seed(sessions: sessionmaker[Session], *, delays: list[int] | None = None) -> None:
    """Regio, two participating besturen (A, B) with one school each, and a non-participating bestuur C."""
    with transaction(sessions) as db:
        db.add(Regio(id="midden-nederland", naam="Midden-Nederland"))
        db.add(Plaats(id="utrecht", naam="Utrecht", lat=UTRECHT[0], lon=UTRECHT[1]))
        db.flush()
        dispatch = {"tier_delays_minutes": delays or [30, 60, 120], "per_tier": 10}
        db.add_all([
            Bestuur(id="bestuur-a", naam="Stichting A", regio_id="midden-nederland", dispatch=dispatch),
            Bestuur(id="bestuur-b", naam="Stichting B", regio_id="midden-nederland", dispatch=dispatch),
            Bestuur(id="bestuur-c", naam="Stichting C", regio_id="midden-nederland", in_invalpool=False),
        ])
        db.flush()
        db.add_all([
            School(id="school-a1", bestuur_id="bestuur-a", naam="OBS De Regenboog", plaats_id="utrecht",
                   lat=UTRECHT[0], lon=UTRECHT[1]),
            School(id="school-a2", bestuur_id="bestuur-a", naam="CBS Het Kompas", plaats_id="utrecht",
                   lat=UTRECHT[0] + 0.01, lon=UTRECHT[1]),
            School(id="school-b1", bestuur_id="bestuur-b", naam="KBS De Ster", plaats_id="utrecht",
                   lat=UTRECHT[0], lon=UTRECHT[1] + 0.01),
            School(id="school-c1", bestuur_id="bestuur-c", naam="IKC Elders", plaats_id="utrecht",
                   lat=UTRECHT[0], lon=UTRECHT[1]),
        ])


def add_invaller(db: Session, invaller_id: str, *, days: Iterable[date] = (TOMORROW, FRIDAY),
                 approved: Iterable[str] = ("bestuur-a", "bestuur-b"), tier: int = 1,
                 at: tuple[float, float] = UTRECHT, email: str | None = "", **fields: Any) -> Invaller:
    """An active, bevoegd invaller available on ``days`` and approved by ``approved``."""
    invaller = Invaller(
        id=invaller_id, naam=fields.pop("naam", f"Invaller {invaller_id}"),
        email=(f"{invaller_id}@example.org" if email == "" else email),
        bevoegdheden=fields.pop("bevoegdheden", ["po_bevoegdheid"]),
        groepen=fields.pop("groepen", ["1-2", "3-4", "5-6", "7-8"]),
        lat=at[0], lon=at[1], max_afstand_km=fields.pop("max_afstand_km", 25.0), tier=tier,
        vog_geldig_tot=fields.pop("vog_geldig_tot", TODAY + timedelta(days=365)),
        id_geldig_tot=fields.pop("id_geldig_tot", TODAY + timedelta(days=365)), **fields)
    db.add(invaller)
    db.flush()
    for bestuur_id in approved:
        db.add(InvallerGoedkeuring(invaller_id=invaller_id, bestuur_id=bestuur_id, status="goedgekeurd"))
    for d in days:
        db.add(Beschikbaarheid(invaller_id=invaller_id, datum=d, dagdeel="dag", beschikbaar=True))
    db.flush()
    return invaller
