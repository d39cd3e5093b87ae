"""First accept wins: many simultaneous accepts give exactly one assignment; no invaller is booked twice.

Threads call the service (``flows.accept_offer``) each with their own database session, released at the
same moment by a barrier; this runs on SQLite and on PostgreSQL (LOKET_TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, func, select, update

from loket.db import make_engine, make_sessionmaker, transaction
from loket.vervangingsvraag import flows
from loket.vervangingsvraag.models import Aanbod, InzetDag, Vervangingsvraag
from tests.invalpool.world import FRIDAY, TOMORROW, add_invaller, seed

THREADS = 50
ROUNDS = 100


def _links(app) -> flows.Links:  # type: ignore[no-untyped-def]
    return flows.Links.from_settings(app.state.ctx.settings)


@pytest.fixture
def sessions(app):  # type: ignore[no-untyped-def]
    """Sessions on an engine with a connection per thread, as a process serving 50 requests at once would
    have (the default pool would open and close 20 overflow connections every round)."""
    engine = make_engine(app.state.ctx.engine.url.render_as_string(hide_password=False), pool_size=THREADS + 5,
                         max_overflow=5)
    yield make_sessionmaker(engine)
    engine.dispose()


def _accept_all(app, sessions, offers: list[tuple[str, str]], pool: ThreadPoolExecutor) -> list[str]:  # type: ignore[no-untyped-def]
    links = _links(app)
    barrier = threading.Barrier(len(offers))

    def one(aanbod_id: str, invaller_id: str) -> str:
        barrier.wait(timeout=30)
        with transaction(sessions) as db:
            return flows.accept_offer(db_session=db, links=links, aanbod_id=aanbod_id, invaller_id=invaller_id).outcome

    return list(pool.map(lambda pair: one(*pair), offers))


def test_fifty_simultaneous_accepts_give_one_assignment_every_time(app, sessions, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    seed(sessions)
    with transaction(sessions) as db:
        for i in range(THREADS):
            # No e-mail: this test is about the claim, not about the messages it queues.
            add_invaller(db, f"inv-{i:02d}", email=None)
        vraag = Vervangingsvraag(school_id="school-a1", bestuur_id="bestuur-a", datum_van=TOMORROW,
                                 datum_tot=FRIDAY, status="open")
        db.add(vraag)
        db.flush()
        offers = []
        for i in range(THREADS):
            aanbod = Aanbod(vraag_id=vraag.id, invaller_id=f"inv-{i:02d}", status="verstuurd")
            db.add(aanbod)
            db.flush()
            offers.append((aanbod.id, aanbod.invaller_id))
        vraag_id = vraag.id

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for round_no in range(ROUNDS):
            # Reuse the setup: put the vraag and its offers back to "open, nobody answered".
            with transaction(sessions) as db:
                db.execute(delete(InzetDag).where(InzetDag.vraag_id == vraag_id))
                db.execute(update(Vervangingsvraag).where(Vervangingsvraag.id == vraag_id).values(
                    status="open", invaller_id=None, gevuld_at=None))
                db.execute(update(Aanbod).where(Aanbod.vraag_id == vraag_id).values(status="verstuurd"))
            outcomes = _accept_all(app, sessions, offers, pool)
            assert outcomes.count("toegewezen") == 1, (round_no, outcomes)
            assert outcomes.count("vergeven") == THREADS - 1, (round_no, outcomes)
            with sessions() as db:
                vraag = db.get(Vervangingsvraag, vraag_id)
                assert vraag is not None and vraag.status == "gevuld"
                winner = offers[outcomes.index("toegewezen")][1]
                assert vraag.invaller_id == winner
                days = db.scalars(select(InzetDag.invaller_id).where(InzetDag.vraag_id == vraag_id)).all()
                assert days == [winner, winner]  # Thursday and Friday, for the winner only
                accepted = db.scalar(select(func.count()).select_from(Aanbod).where(
                    Aanbod.vraag_id == vraag_id, Aanbod.status == "geaccepteerd"))
                assert accepted == 1


def test_one_invaller_accepting_two_overlapping_vragen_at_once_gets_one(app, sessions, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    seed(sessions)
    with transaction(sessions) as db:
        add_invaller(db, "inv-x", email=None)
        vragen = [
            Vervangingsvraag(school_id="school-a1", bestuur_id="bestuur-a", datum_van=TOMORROW, datum_tot=FRIDAY),
            Vervangingsvraag(school_id="school-b1", bestuur_id="bestuur-b", datum_van=FRIDAY, datum_tot=FRIDAY),
            Vervangingsvraag(school_id="school-a2", bestuur_id="bestuur-a", datum_van=TOMORROW, datum_tot=TOMORROW),
        ]
        db.add_all(vragen)
        db.flush()
        offers = []
        for v in vragen:
            aanbod = Aanbod(vraag_id=v.id, invaller_id="inv-x", status="verstuurd")
            db.add(aanbod)
            db.flush()
            offers.append((aanbod.id, "inv-x"))
        ids = [v.id for v in vragen]

    with ThreadPoolExecutor(max_workers=len(offers)) as pool:
        for _ in range(30):
            with transaction(sessions) as db:
                db.execute(delete(InzetDag))
                db.execute(update(Vervangingsvraag).values(status="open", invaller_id=None, gevuld_at=None))
                db.execute(update(Aanbod).values(status="verstuurd"))
            outcomes = _accept_all(app, sessions, offers, pool)
            with sessions() as db:
                filled = db.scalars(select(Vervangingsvraag.id).where(Vervangingsvraag.invaller_id == "inv-x")).all()
                days = db.scalars(select(InzetDag.datum).where(InzetDag.invaller_id == "inv-x")).all()
            # Thursday+Friday overlaps both others; the two single days do not overlap each other.
            assert len(days) == len(set(days)), "an invaller day was booked twice"
            if ids[0] in filled:
                assert filled == [ids[0]] and outcomes.count("toegewezen") == 1
            else:
                assert sorted(filled) == sorted(ids[1:]) and outcomes.count("toegewezen") == 2
            assert outcomes.count("overlap") == len(offers) - outcomes.count("toegewezen")
