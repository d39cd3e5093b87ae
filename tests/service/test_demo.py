"""The demo region is deterministic, realistic in size, and seeds into the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from loket.db import make_sessionmaker, transaction
from loket.demo import generate, seed
from loket.models import Bestuur, School, Vacature

TODAY = date(2026, 11, 25)


def test_same_seed_same_region(knowledge) -> None:  # type: ignore[no-untyped-def]
    a = generate(knowledge.region, today=TODAY)
    b = generate(knowledge.region, today=TODAY)
    assert a.tables == b.tables
    c = generate(knowledge.region, today=TODAY, seed=7)
    assert c.tables["school"] != a.tables["school"]


def test_region_size_and_real_places(knowledge) -> None:  # type: ignore[no-untyped-def]
    data = generate(knowledge.region, today=TODAY)
    assert data.count("bestuur") == 40
    assert data.count("school") == 300
    assert data.count("vacatue") == 0 and data.count("vacature") == 150
    assert data.count("invaller") == 200
    assert data.count("coach") == 25
    places = {p["id"] for p in data.tables["plaats"]}
    assert all(s["plaats_id"] in places for s in data.tables["school"])
    # Availability lies in the school days after the reference date.
    assert all(row["datum"] > TODAY and row["datum"].weekday() < 5 for row in data.tables["beschikbaarheid"])


def test_national_scale(knowledge) -> None:  # type: ignore[no-untyped-def]
    data = generate(knowledge.region, today=TODAY, scale="national")
    assert data.count("school") == 6000
    assert data.count("vacature") == 20000
    assert data.count("invaller") == 10000


def test_seed_writes_rows(knowledge, clean_db: Engine) -> None:  # type: ignore[no-untyped-def]
    data = generate(knowledge.region, today=TODAY)
    with transaction(make_sessionmaker(clean_db)) as session:
        counts = seed(session, data)
    with transaction(make_sessionmaker(clean_db)) as session:
        assert session.scalar(select(func.count()).select_from(Bestuur)) == 40
        assert session.scalar(select(func.count()).select_from(School)) == 300
        assert session.scalar(select(func.count()).select_from(Vacature)) == counts["vacature"]
