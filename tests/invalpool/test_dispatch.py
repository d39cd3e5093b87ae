"""Dispatch with a controllable clock: tiered release, restart between tiers, same-day mode, answers,
cancellation with the waiting list, and the reminder, escalation and closing jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.db import transaction
from loket.invaller.models import SchoolVoorkeur
from loket.outbox.models import OutboxBericht
from loket.vervangingsvraag import flows, scheduled
from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag, VraagIn
from tests.accounts import make_account
from tests.invalpool.world import AMERSFOORT, FRIDAY, TODAY, TOMORROW, add_invaller, seed


def _links(app) -> flows.Links:  # type: ignore[no-untyped-def]
    return flows.Links.from_settings(app.state.ctx.settings)


def _offered(app, vraag_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with app.state.ctx.sessions() as db:
        return {a.invaller_id: a.status for a in db.scalars(select(Aanbod).where(Aanbod.vraag_id == vraag_id))}


def _mail_to(app, recipient: str) -> list[OutboxBericht]:  # type: ignore[no-untyped-def]
    with app.state.ctx.sessions() as db:
        return list(db.scalars(select(OutboxBericht).where(OutboxBericht.recipient == recipient)
                               .order_by(OutboxBericht.created_at)))


def _post(app, **fields) -> str:  # type: ignore[no-untyped-def]
    data = VraagIn(**{"school_id": "school-a1", "datum_van": TOMORROW, **fields})
    with transaction(app.state.ctx.sessions) as db:
        return flows.create_vraag(db_session=db, links=_links(app), data=data, scope_bestuur_id=None,
                                  actor="test").id


@pytest.fixture
def tiered(app):  # type: ignore[no-untyped-def]
    seed(app.state.ctx.sessions)
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "named", tier=3)
        add_invaller(db, "fav", tier=2)
        add_invaller(db, "t1a", tier=1)
        add_invaller(db, "t1b", tier=1)
        add_invaller(db, "t2", tier=2)
        add_invaller(db, "t3", tier=3)
        add_invaller(db, "far", tier=1, at=AMERSFOORT, max_afstand_km=5)
        add_invaller(db, "unapproved", tier=1, approved=["bestuur-b"])
        db.add(SchoolVoorkeur(school_id="school-a1", invaller_id="fav"))
    return app


def test_tiers_release_in_order_and_survive_a_restart(tiered, frozen_clock, settings, knowledge) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    vraag_id = _post(app, genoemde_invaller_id="named")
    assert set(_offered(app, vraag_id)) == {"named"}
    frozen_clock.advance(minutes=29)
    assert scheduled.release_due(app.state.ctx) == 0
    frozen_clock.advance(minutes=1)
    assert scheduled.release_due(app.state.ctx) == 1
    assert set(_offered(app, vraag_id)) == {"named", "fav"}
    frozen_clock.advance(minutes=60)
    scheduled.release_due(app.state.ctx)
    assert set(_offered(app, vraag_id)) == {"named", "fav", "t1a", "t1b"}

    # A restart between tiers: a new app (new engine, no memory) on the same database continues.
    app.state.ctx.engine.dispose()
    from loket.app import create_app

    second = create_app(settings, knowledge=knowledge)
    try:
        frozen_clock.advance(minutes=119)
        assert scheduled.release_due(second.state.ctx) == 0
        frozen_clock.advance(minutes=1)
        assert scheduled.release_due(second.state.ctx) == 1
        assert set(_offered(second, vraag_id)) == {"named", "fav", "t1a", "t1b", "t2"}
        frozen_clock.advance(minutes=120)
        scheduled.release_due(second.state.ctx)
        offered = _offered(second, vraag_id)
        assert set(offered) == {"named", "fav", "t1a", "t1b", "t2", "t3"}  # never "far" nor "unapproved"
        with second.state.ctx.sessions() as db:
            vraag = db.get(Vervangingsvraag, vraag_id)
            assert vraag is not None and vraag.huidige_tier == 5
            # The next wave waits at most until the deadline (16:00 Dutch time the day before).
            assert vraag.volgende_release_at == vraag.deadline_at
            stages = {a.invaller_id: flows.STAGES[a.tier] for a in db.scalars(select(Aanbod))}
        assert stages == {"named": "genoemd", "fav": "voorkeur", "t1a": "tier1", "t1b": "tier1", "t2": "tier2",
                          "t3": "tier3"}
        assert len(_mail_to(second, "t2@example.org")) == 1
        assert "/aanbod/" in _mail_to(second, "t2@example.org")[0].body
    finally:
        second.state.ctx.engine.dispose()


def test_same_day_skips_the_tiers(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "today", days=[TODAY])
    vraag_id = _post(app, datum_van=TOMORROW, urgentie="zelfde_dag", genoemde_invaller_id="named")
    assert set(_offered(app, vraag_id)) == {"named", "fav", "t1a", "t1b", "t2", "t3", "today"} - {"today"}
    vraag_today = _post(app, datum_van=TODAY)  # starts today: same-day mode even without the flag
    assert set(_offered(app, vraag_today)) == {"today"}


def test_decline_of_the_whole_wave_releases_the_next_at_once(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    vraag_id = _post(app, genoemde_invaller_id="named")
    with transaction(app.state.ctx.sessions) as db:
        aanbod = db.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag_id))
        result = flows.decline_offer(db_session=db, aanbod_id=aanbod.id, invaller_id="named")
    assert result.outcome == "geweigerd"
    assert scheduled.release_due(app.state.ctx) == 1  # no waiting for the 30 minutes
    assert _offered(app, vraag_id) == {"named": "geweigerd", "fav": "verstuurd"}


def test_accept_tells_the_others_and_the_bestuur(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    make_account(app, "bestuur", bestuur_id="bestuur-a", email="planner@bestuur-a.example")
    vraag_id = _post(app, urgentie="zelfde_dag")
    with transaction(app.state.ctx.sessions) as db:
        t2 = db.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag_id, Aanbod.invaller_id == "t2"))
        won = flows.accept_offer(db_session=db, links=_links(app), aanbod_id=t2.id)
    assert won.won and "Je hebt het werk" in won.text()
    offered = _offered(app, vraag_id)
    assert offered.pop("t2") == "geaccepteerd"
    assert set(offered.values()) == {"vergeven"}
    assert any(m.subject.startswith("Al vergeven") for m in _mail_to(app, "t1a@example.org"))
    assert any(m.subject.startswith("Bevestiging") for m in _mail_to(app, "t2@example.org"))
    assert any("Invaller t2" in m.body for m in _mail_to(app, "planner@bestuur-a.example"))
    # A late accept goes on the waiting list; a second accept by the winner is recognised.
    with transaction(app.state.ctx.sessions) as db:
        late = db.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag_id, Aanbod.invaller_id == "t1a"))
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=late.id).outcome == "vergeven"
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=t2.id).outcome == "al_geaccepteerd"
        # Someone else's offer id with a wrong invaller (e.g. from another Telegram chat) is unknown.
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=t2.id,
                                  invaller_id="t1a").outcome == "onbekend"
    assert _offered(app, vraag_id)["t1a"] == "wachtlijst"


def test_invaller_cancels_and_the_waiting_list_comes_first(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    vraag_id = _post(app, urgentie="zelfde_dag")
    with transaction(app.state.ctx.sessions) as db:
        offers = {a.invaller_id: a.id for a in db.scalars(select(Aanbod).where(Aanbod.vraag_id == vraag_id))}
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=offers["t1a"]).won
    with transaction(app.state.ctx.sessions) as db:
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=offers["t2"]).outcome == "vergeven"
    with transaction(app.state.ctx.sessions) as db:
        vraag = db.get(Vervangingsvraag, vraag_id)
        flows.cancel_assignment(db_session=db, links=_links(app), vraag=vraag, by="invaller", actor="test",
                                invaller_id="t1a")
    offered = _offered(app, vraag_id)
    assert offered["t1a"] == "geannuleerd" and offered["t2"] == "verstuurd"  # waiting list: offered again
    assert {offered[i] for i in ("named", "fav", "t1b", "t3")} == {"vergeven"}  # they wait their turn
    assert any("wachtlijst" in m.body for m in _mail_to(app, "t2@example.org"))
    frozen_clock.advance(minutes=10)
    scheduled.release_due(app.state.ctx)
    offered = _offered(app, vraag_id)
    assert {offered[i] for i in ("named", "fav", "t1b", "t3")} == {"verstuurd"}
    assert offered["t1a"] == "geannuleerd"  # who dropped out is not asked again
    with transaction(app.state.ctx.sessions) as db:
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=offers["t3"]).won


def test_bestuur_cancels_the_vraag_and_everyone_is_told(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    vraag_id = _post(app, urgentie="zelfde_dag")
    with transaction(app.state.ctx.sessions) as db:
        fav = db.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag_id, Aanbod.invaller_id == "fav"))
        flows.accept_offer(db_session=db, links=_links(app), aanbod_id=fav.id)
    with transaction(app.state.ctx.sessions) as db:
        flows.cancel_vraag(db_session=db, vraag=db.get(Vervangingsvraag, vraag_id), actor="test")
    offered = _offered(app, vraag_id)
    assert offered["fav"] == "geannuleerd" and set(offered.values()) == {"geannuleerd", "ingetrokken"}
    # Mails made at the same (frozen) moment have no order: look for the cancellation among them.
    assert any(m.subject.startswith("Vervalt") for m in _mail_to(app, "fav@example.org"))
    with transaction(app.state.ctx.sessions) as db:
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=fav.id).outcome == "gesloten"


def test_editing_the_days_withdraws_and_starts_again(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    vraag_id = _post(app, genoemde_invaller_id="named")
    with transaction(app.state.ctx.sessions) as db:
        vraag = db.get(Vervangingsvraag, vraag_id)
        data = VraagIn(school_id="school-a1", datum_van=FRIDAY, genoemde_invaller_id="named")
        flows.edit_vraag(db_session=db, links=_links(app), vraag=vraag, data=data, scope_bestuur_id="bestuur-a",
                         actor="test")
    assert _offered(app, vraag_id) == {"named": "verstuurd"}  # re-offered for the new day
    subjects = [m.subject for m in _mail_to(app, "named@example.org")]
    assert subjects[1].startswith("Ingetrokken") and "vrijdag 27 november" in subjects[2]


def test_reminder_once_after_two_hours(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    _post(app, genoemde_invaller_id="named")
    frozen_clock.advance(minutes=20)
    assert scheduled.remind_unanswered(app.state.ctx) == 0
    frozen_clock.advance(minutes=100)
    assert scheduled.remind_unanswered(app.state.ctx) == 1  # only "named" was offered 2 hours ago
    assert scheduled.remind_unanswered(app.state.ctx) == 0
    assert _mail_to(app, "named@example.org")[-1].subject.startswith("Herinnering")


def test_escalation_at_the_deadline_once(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    make_account(app, "coordinator", email="coordinator@loket.example")
    _post(app, genoemde_invaller_id="named")
    frozen_clock.advance(hours=5, minutes=59)  # 14:59 UTC = 15:59 in Utrecht
    assert scheduled.escalate_unfilled(app.state.ctx) == 0
    frozen_clock.advance(minutes=1)
    assert scheduled.escalate_unfilled(app.state.ctx) == 1
    assert scheduled.escalate_unfilled(app.state.ctx) == 0
    mails = _mail_to(app, "coordinator@loket.example")
    assert len(mails) == 1 and mails[0].subject.startswith("Niet gevuld")


def test_close_past_vragen(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    open_id = _post(app, genoemde_invaller_id="named")
    filled_id = _post(app, urgentie="zelfde_dag", school_id="school-a2", datum_van=FRIDAY)
    with transaction(app.state.ctx.sessions) as db:
        aanbod = db.scalar(select(Aanbod).where(Aanbod.vraag_id == filled_id, Aanbod.invaller_id == "t3"))
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=aanbod.id).won
    frozen_clock.advance(days=2)  # Friday: Thursday's vraag is over
    assert scheduled.close_past(app.state.ctx) == 1
    frozen_clock.advance(days=1)
    assert scheduled.close_past(app.state.ctx) == 1
    with app.state.ctx.sessions() as db:
        assert db.get(Vervangingsvraag, open_id).status == "verlopen"
        assert db.get(Vervangingsvraag, filled_id).status == "afgerond"
    assert _offered(app, open_id)["named"] == "verlopen"


def test_telegram_offer_carries_buttons(tiered, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    app = tiered
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "tg", email=None, telegram_chat_id="12345")
    vraag_id = _post(app, urgentie="zelfde_dag")
    messages = _mail_to(app, "12345")
    assert len(messages) == 1 and messages[0].channel == "telegram"
    aanbod_id = messages[0].payload["aanbod_id"]
    buttons = [b["callback_data"] for row in messages[0].payload["buttons"] for b in row]
    assert buttons == [f"aanbod:accept:{aanbod_id}", f"aanbod:decline:{aanbod_id}"]
    with transaction(app.state.ctx.sessions) as db:
        assert flows.accept_offer(db_session=db, links=_links(app), aanbod_id=aanbod_id, invaller_id="tg",
                                  channel="telegram").won
    assert _offered(app, vraag_id)["tg"] == "geaccepteerd"


def test_waves_are_timed_per_bestuur(app, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    seed(app.state.ctx.sessions, delays=[5])
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "a", tier=1)
        add_invaller(db, "b", tier=2)
    vraag_id = _post(app)
    assert set(_offered(app, vraag_id)) == {"a"}
    frozen_clock.advance(minutes=5)
    scheduled.release_due(app.state.ctx)
    assert set(_offered(app, vraag_id)) == {"a", "b"}
    with app.state.ctx.sessions() as db:
        vraag = db.get(Vervangingsvraag, vraag_id)
        assert vraag.volgende_release_at == frozen_clock.now() + timedelta(minutes=5)
