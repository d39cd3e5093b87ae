"""The request's path through the service: routing, the queue, SLA reassignment (with a restart), planning."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from loket.db import transaction
from loket.loopbaangesprek import scheduled
from loket.loopbaangesprek.models import LoopbaangesprekToewijzing
from tests.accounts import csrf_from, login, make_account
from tests.loopbaangesprek.conftest import add_coach, gesprekken, link_in, outbox, submit


def offers(app) -> list[LoopbaangesprekToewijzing]:  # type: ignore[no-untyped-def]
    with app.state.ctx.sessions() as db:
        return list(db.scalars(select(LoopbaangesprekToewijzing).order_by(LoopbaangesprekToewijzing.aangeboden_at,
                                                                          LoopbaangesprekToewijzing.coach_id)))


def post_link(client, path: str, action: str, **data):  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(f"{path}/{action}", data={**data, "csrf_token": csrf_from(page.text)})


def test_form_routes_outside_the_own_bestuur_and_mails_the_coach(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-own", "bestuur-1", capaciteit_per_week=10, expertise=["leiderschap", "uitstroom"])
    add_coach(app, "c-other", "bestuur-2")
    page = submit(client)
    assert page.status_code == 200
    assert "uiterlijk vrijdag 27 november" in page.text  # Wednesday + 2 working days
    [gesprek] = gesprekken(app)
    assert (gesprek.status, gesprek.coach_id) == ("toegewezen", "c-other")
    assert gesprek.toelichting["uitgesloten"] == {"c-own": "eigen_bestuur"}
    assert gesprek.beloofd_contact_op == date(2026, 11, 27)
    [mail] = outbox(app, "c-other@example.org")
    assert "Sanne" not in mail.body, "the offer carries no name before the coach accepts"
    assert link_in(mail.body, "coach")
    assert outbox(app, "c-own@example.org") == []
    assert "vrijdag 27 november" in outbox(app, "sanne@example.org")[0].body


def test_only_own_bestuur_coaches_have_capacity_so_the_request_waits(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-own", "bestuur-1", capaciteit_per_week=20)
    add_coach(app, "c-full", "bestuur-2", capaciteit_per_week=0)
    add_coach(app, "c-away", "bestuur-3", afwezig_tot=date(2027, 6, 1))
    page = submit(client)
    assert "geen coach vrij" in page.text
    [gesprek] = gesprekken(app)
    assert gesprek.status == "wachtend" and gesprek.coach_id is None and gesprek.beloofd_contact_op is None
    assert gesprek.toelichting["uitgesloten"]["c-own"] == "eigen_bestuur"
    for _ in range(4):  # weeks pass; the job keeps trying; the own bestuur's coach never gets it
        frozen_clock.advance(days=7)
        scheduled.run(app.state.ctx)
        [gesprek] = gesprekken(app)
        assert gesprek.status == "wachtend" and gesprek.coach_id is None
    assert all(o.coach_id != "c-own" for o in offers(app))
    assert outbox(app, "c-own@example.org") == []
    # Capacity frees up at another bestuur: the next run offers it there.
    with transaction(app.state.ctx.sessions) as db:
        from loket.coach.models import Coach

        db.get(Coach, "c-full").capaciteit_per_week = 1  # type: ignore[union-attr]
    scheduled.run(app.state.ctx)
    [gesprek] = gesprekken(app)
    assert (gesprek.status, gesprek.coach_id) == ("toegewezen", "c-full")
    # The teacher, who was told that nobody was free, now hears the date.
    [update] = [m for m in outbox(app, "sanne@example.org") if m.subject.startswith("Nieuwe datum")]
    assert gesprek.beloofd_contact_op is not None and "uiterlijk" in update.body


def test_queue_page_shows_the_sla_age_and_the_reason(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-own", "bestuur-1")
    submit(client, urgentie="hoog")
    frozen_clock.advance(days=3)  # Wednesday 09:00 → Saturday: 2.6 working days
    _, email, password = make_account(app, "coordinator")
    login(client, email, password)
    page = client.get("/console/loopbaangesprekken")
    assert page.status_code == 200
    assert "2.6" in page.text and "te laat" in page.text and "eigen bestuur: 1" in page.text
    assert "dringend" in page.text
    assert 'value="c-own"' not in page.text, "the manual choice never lists a coach of the own bestuur"


def test_sla_passes_and_the_next_coach_gets_it_even_after_a_restart(region, client, frozen_clock, settings,
                                                                    knowledge) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    add_coach(app, "c-b", "bestuur-3")
    submit(client)
    [first] = offers(app)
    assert first.coach_id == "c-a"
    frozen_clock.advance(days=1)
    scheduled.run(app.state.ctx)
    assert [o.status for o in offers(app)] == ["aangeboden"]

    # A restart: a new process on the same database finds the overdue offer by the clock.
    from loket.app import create_app

    restarted = create_app(settings, knowledge=knowledge)
    try:
        frozen_clock.advance(days=1, minutes=1)  # Friday 09:01: two working days have passed
        scheduled.run(restarted.state.ctx)
        scheduled.run(restarted.state.ctx)  # running twice changes nothing more
        states = {o.coach_id: o.status for o in offers(app)}
        assert states == {"c-a": "verlopen", "c-b": "aangeboden"}
        [gesprek] = gesprekken(app)
        assert gesprek.coach_id == "c-b" and gesprek.toelichting["uitgesloten"]["c-a"] == "eerder_geprobeerd"
        assert len(outbox(app, "c-b@example.org")) == 1
        # The promised Friday cannot be kept any more: the teacher hears the new date (B's SLA: Tuesday).
        [update] = [m for m in outbox(app, "sanne@example.org") if m.subject.startswith("Nieuwe datum")]
        assert "dinsdag 1 december" in update.body
        # A's old link no longer shows the request.
        old = client.get(link_in(outbox(app, "c-a@example.org")[0].body, "coach"))
        assert old.status_code == 410 and "Sanne" not in old.text and "teamleider" not in old.text

        # B lets it pass too: no coach is left, it waits, and the teacher hears the honest news.
        frozen_clock.advance(days=4)
        scheduled.run(restarted.state.ctx)
        [gesprek] = gesprekken(app)
        assert gesprek.status == "wachtend" and gesprek.beloofd_contact_op is None
        updates = [m for m in outbox(app, "sanne@example.org") if m.subject.startswith("Nieuwe datum")]
        assert len(updates) == 2 and "geen coach vrij" in updates[-1].body
    finally:
        restarted.state.ctx.engine.dispose()


def test_decline_by_link_goes_to_the_next_coach(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    add_coach(app, "c-b", "bestuur-3")
    submit(client)
    path = link_in(outbox(app, "c-a@example.org")[0].body, "coach")
    answer = post_link(client, path, "wijs_af", reden="Geen tijd")
    assert answer.status_code == 200 and "afgewezen" in answer.text
    states = {o.coach_id: (o.status, o.reden) for o in offers(app)}
    assert states == {"c-a": ("afgewezen", "Geen tijd"), "c-b": ("aangeboden", None)}
    # Answering the old offer again is refused clearly, and changes nothing.
    again = client.post(f"{path}/accepteer", data={"csrf_token": csrf_from(client.get("/loopbaangesprek").text)})
    assert again.status_code == 410
    assert gesprekken(app)[0].coach_id == "c-b"


def test_accept_propose_pick_remind_feedback_and_figures(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    submit(client, starter="1")
    path = link_in(outbox(app, "c-a@example.org")[0].body, "coach")
    accepted = post_link(client, path, "accepteer")
    assert accepted.status_code == 200 and "sanne@example.org" in accepted.text  # contact shown after accepting
    assert 'type="datetime-local"' in accepted.text
    too_soon = client.post(f"{path}/tijden", data={"tijden": ["2026-11-25T10:30"],
                                                   "csrf_token": csrf_from(accepted.text)})
    assert too_soon.status_code == 409 and 'role="alert"' in too_soon.text
    proposed = client.post(f"{path}/tijden", data={"tijden": ["2026-12-02T14:00", "2026-12-03T10:00", ""],
                                                   "csrf_token": csrf_from(accepted.text)})
    assert proposed.status_code == 200, proposed.text
    [choose_mail] = [m for m in outbox(app, "sanne@example.org") if m.subject.startswith("Kies een tijd")]
    keuze = link_in(choose_mail.body, "keuze")
    page = client.get(keuze)
    assert "woensdag 2 december om 14:00" in page.text
    chosen = client.post(keuze, data={"tijd": "2026-12-02T13:00:00+00:00", "csrf_token": csrf_from(page.text)})
    assert chosen.status_code == 200 and "Je gesprek met" in chosen.text
    [gesprek] = gesprekken(app)
    assert gesprek.status == "afspraak" and gesprek.afspraak_at.isoformat() == "2026-12-02T13:00:00+00:00"
    invites = [m for m in outbox(app) if m.payload.get("attachments")]
    assert {m.recipient for m in invites} == {"sanne@example.org", "c-a@example.org"}
    assert "BEGIN:VCALENDAR" in invites[0].payload["attachments"][0]["content"]

    frozen_clock.advance(days=6, hours=5)  # Tuesday 1 December 14:00 UTC, the day before
    scheduled.remind(app.state.ctx)
    scheduled.remind(app.state.ctx)
    reminders = [m for m in outbox(app) if m.subject and "Herinnering" in m.subject]
    assert {m.recipient for m in reminders} == {"sanne@example.org", "c-a@example.org"}
    frozen_clock.advance(days=1, hours=2)  # the conversation was held
    scheduled.remind(app.state.ctx)
    [ask] = [m for m in outbox(app, "sanne@example.org") if m.subject.startswith("Hoe was")]
    feedback_link = link_in(ask.body, "feedback")
    form = client.get(feedback_link)
    bad = client.post(feedback_link, data={"score": "9", "csrf_token": csrf_from(form.text)})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    good = client.post(feedback_link, data={"score": "5", "tekst": "Heel fijn 👍", "uitkomst": "andere_school",
                                            "csrf_token": csrf_from(form.text)})
    assert good.status_code == 200 and "Dank je wel" in good.text
    [gesprek] = gesprekken(app)
    assert (gesprek.status, gesprek.feedback_score, gesprek.uitkomst) == ("afgerond", 5, "andere_school")

    assert client.get("/api/v1/loopbaangesprekken/cijfers").status_code == 401
    _, email, password = make_account(app, "medewerker")
    login(client, email, password)
    figures = client.get("/api/v1/loopbaangesprekken/cijfers").json()
    assert figures["aanvragen"] == 1 and figures["starters"] == 1 and figures["behoud_percentage"] == 100.0
    assert figures["feedback_gemiddeld"] == 5 and figures["belofte_gehaald"] == 1.0
    assert client.get("/api/v1/loopbaangesprekken/cijfers?van=gisteren").status_code == 422
    assert client.get("/api/v1/loopbaangesprekken/cijfers?van=2027-01-01").json()["aanvragen"] == 0


def test_manual_assignment_never_to_the_own_bestuur(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-own", "bestuur-1")
    submit(client)
    [gesprek] = gesprekken(app)
    _, email, password = make_account(app, "coordinator")
    token = login(client, email, password)
    refused = client.post(f"/console/loopbaangesprekken/{gesprek.id}/toewijzen",
                          data={"coach_id": "c-own", "csrf_token": token})
    assert refused.status_code == 409 and "Dat mag nooit" in refused.text
    assert gesprekken(app)[0].coach_id is None
    add_coach(app, "c-other", "bestuur-2", capaciteit_per_week=0)
    done = client.post(f"/console/loopbaangesprekken/{gesprek.id}/toewijzen",
                       data={"coach_id": "c-other", "csrf_token": token})
    assert done.status_code == 200
    assert gesprekken(app)[0].coach_id == "c-other"
    path = client.get(f"/console/loopbaangesprekken/{gesprek.id}")
    assert "handmatig gekozen" in path.text


def test_bad_form_input_is_refused_clearly_and_stores_nothing(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    cases = [
        {"naam": "", "email": "geen-adres"},
        {"bestuur_id": "bestuur-999"},
        {"tags": ["hacken"], "wens": ""},
        {"wens": "x" * 5000},
        {"naam": "<script>alert(1)</script>", "email": "a@b", "huidige_rol": "piraat"},
        {"telefoon": "bel me", "contact_kanaal": "telefoon"},
    ]
    for overrides in cases:
        page = submit(client, **overrides)
        assert page.status_code == 422, overrides
        assert 'role="alert"' in page.text and "<script>alert(1)</script>" not in page.text
    assert gesprekken(app) == []
    # Odd Unicode is kept as text; zero-width and control characters are dropped.
    assert submit(client, naam="Zoë\u200b Çelik\x07", wens="Ik wil stoppen 🙃").status_code == 200
    assert gesprekken(app)[0].naam == "Zoë Çelik"
    no_csrf = client.post("/loopbaangesprek", data={"naam": "x"})
    assert no_csrf.status_code == 403


def test_forged_wrong_purpose_and_expired_links(region, client, frozen_clock, monkeypatch) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    submit(client)
    path = link_in(outbox(app, "c-a@example.org")[0].body, "coach")
    token = path.rsplit("/", 1)[1]
    assert client.get(path[:-3] + "abc").status_code == 404
    assert client.get(f"/loopbaangesprek/keuze/{token}").status_code == 404  # a coach link is no keuze link
    assert client.get("/loopbaangesprek/coach/" + "x" * 2000).status_code == 404
    # Signed links read the wall clock (itsdangerous), so move that one 15 days ahead.
    import time
    import types

    later = time.time() + 15 * 86400
    monkeypatch.setattr("itsdangerous.timed.time", types.SimpleNamespace(time=lambda: later))
    expired = client.get(path)
    assert expired.status_code == 410 and "verlopen" in expired.text
