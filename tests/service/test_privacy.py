"""AVG: export of a person's data, staff erasure and blocking, and the retention purge."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from loket.audit.models import AuditEvent
from loket.db import transaction
from loket.intake.models import IntakeBericht, IntakeEvent, IntakeSessie
from loket.privacy.service import purge
from tests.accounts import login, make_account
from tests.service.test_intake_api import Chat


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    return int(db.scalar(select(func.count()).select_from(model).where(*where)))


def test_person_exports_their_data(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    chat.say("ik ben 35 en woon in Utrecht")
    export = client.get(f"/api/v1/intake/{chat.id}/export", headers=chat.auth)
    assert export.status_code == 200
    data = export.json()
    assert data["session"]["profile"]["age"] == 35
    assert any(m["direction"] == "in" and "Utrecht" in m["text"] for m in data["messages"])
    assert client.get(f"/api/v1/intake/{chat.id}/export").status_code == 404  # no token, no data


def test_staff_blocks_a_session(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    _, email, password = make_account(app, "coordinator")
    staff = TestClient(app)
    csrf = login(staff, email, password)
    response = staff.post(f"/api/v1/staff/intake/{chat.id}/block", json={"reason": "spam"},
                          headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    blocked = client.post(f"/api/v1/intake/{chat.id}/messages", json={"text": "ja"}, headers=chat.auth)
    assert blocked.status_code == 403 and "gestopt" in blocked.json()["detail"]
    with app.state.ctx.sessions() as db:
        assert _count(db, AuditEvent, AuditEvent.action == "block") == 1


def test_staff_actions_need_the_role_and_csrf(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    anonymous = client.post(f"/api/v1/staff/intake/{chat.id}/block", json={"reason": "spam"})
    assert anonymous.status_code in (401, 403)
    _, email, password = make_account(app, "medewerker")
    staff = TestClient(app)
    csrf = login(staff, email, password)
    # A medewerker may block but not erase; without the CSRF header nothing happens at all.
    assert staff.post(f"/api/v1/staff/intake/{chat.id}/block", json={"reason": "spam"}).status_code == 403
    assert staff.post(f"/api/v1/staff/intake/{chat.id}/erase", json={"reason": "verzoek"},
                      headers={"X-CSRF-Token": csrf}).status_code == 403


def test_staff_erases_on_request(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    _, email, password = make_account(app, "beheerder")
    staff = TestClient(app)
    csrf = login(staff, email, password)
    response = staff.post(f"/api/v1/staff/intake/{chat.id}/erase", json={"reason": "verzoek per mail"},
                          headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200 and response.json()["session_id"] == chat.id
    with app.state.ctx.sessions() as db:
        assert db.get(IntakeSessie, chat.id) is None


def test_retention_purge_keeps_only_what_is_allowed(app, client: TestClient, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    old = Chat(client)
    old.say("ja")
    old.say("ik ben 35 en woon in Utrecht")
    frozen_clock.advance(days=31)
    recent = Chat(client)
    recent.say("ja")
    recent.say("ik ben 50")
    ctx = app.state.ctx
    with transaction(ctx.sessions) as db:
        counts = purge(db_session=db, settings=ctx.settings)
    assert counts["chat_messages"] > 0
    with ctx.sessions() as db:
        # Chat text older than 30 days is gone; the newer conversation keeps its text.
        assert _count(db, IntakeBericht, IntakeBericht.sessie_id == old.id) == 0
        assert _count(db, IntakeBericht, IntakeBericht.sessie_id == recent.id) > 0
        assert db.get(IntakeSessie, old.id).profile["age"] == 35  # answers are kept 12 months
    frozen_clock.advance(days=366)
    with transaction(ctx.sessions) as db:
        counts = purge(db_session=db, settings=ctx.settings)
    assert counts["intakes"] == 2
    with ctx.sessions() as db:
        assert _count(db, IntakeSessie) == 0
        # Anonymous counters stay for the figures.
        assert _count(db, IntakeEvent) > 0
        assert _count(db, IntakeEvent, IntakeEvent.value.is_not(None)) == 0


def test_purge_job_runs_through_the_job_table(app) -> None:  # type: ignore[no-untyped-def]
    from loket.jobs import JOBS
    from loket.scheduler import resolve

    job = next(j for j in JOBS if j.id == "privacy.purge")
    assert job.cron
    resolve(job.func)(app.state.ctx)
    with app.state.ctx.sessions() as db:
        assert _count(db, AuditEvent, AuditEvent.action == "purge") == 1


def test_expired_session_cannot_be_used(app, client: TestClient, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    frozen_clock.advance(days=31)
    assert client.get(f"/api/v1/intake/{chat.id}", headers=chat.auth).status_code == 404



def test_purge_anonymises_closed_loopbaangesprekken_and_keeps_the_figures(app, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    from loket.loopbaangesprek.models import Loopbaangesprek

    ctx = app.state.ctx
    with transaction(ctx.sessions) as db:
        db.add(Loopbaangesprek(id="lg-oud", naam="Sanne de Vries", email="sanne@example.org", wens="Ik wil weg.",
                               status="afgerond", uitkomst="blijft", feedback_score=5))
        db.add(Loopbaangesprek(id="lg-open", naam="Kees Bos", email="kees@example.org", wens="Andere school?",
                               status="wachtend"))
    frozen_clock.advance(days=400)
    with transaction(ctx.sessions) as db:
        assert purge(db_session=db, settings=ctx.settings)["loopbaangesprekken"] == 1
    with ctx.sessions() as db:
        old, still_open = db.get(Loopbaangesprek, "lg-oud"), db.get(Loopbaangesprek, "lg-open")
        assert (old.naam, old.email, old.wens) == ("", None, "")
        assert (old.uitkomst, old.feedback_score) == ("blijft", 5)  # the retention figures stay
        assert still_open.email == "kees@example.org"  # an open request is still being handled
