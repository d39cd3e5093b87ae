"""Mail through a local SMTP server with a valid .ics; who may see which request."""

from __future__ import annotations

from datetime import datetime

import icalendar

from loket.loopbaangesprek import flows
from loket.outbox.scheduled import deliver_due
from tests.accounts import csrf_from, login, make_account
from tests.loopbaangesprek.conftest import add_coach, gesprekken, link_in, outbox, submit


def _plan(client, app) -> str:  # type: ignore[no-untyped-def]
    """Submit, accept by link, propose a time and pick it; return the chosen time (ISO)."""
    path = link_in(outbox(app, "c-a@example.org")[0].body, "coach")
    page = client.get(path)
    accepted = client.post(f"{path}/accepteer", data={"csrf_token": csrf_from(page.text)})
    client.post(f"{path}/tijden", data={"tijden": ["2026-12-02T14:00"], "csrf_token": csrf_from(accepted.text)})
    [mail] = [m for m in outbox(app, "sanne@example.org") if m.subject.startswith("Kies een tijd")]
    keuze = link_in(mail.body, "keuze")
    chosen = client.post(keuze, data={"tijd": "2026-12-02T13:00:00+00:00",
                                      "csrf_token": csrf_from(client.get(keuze).text)})
    assert chosen.status_code == 200
    return "2026-12-02T13:00:00+00:00"


def test_invites_reach_a_real_smtp_server_with_a_valid_ics(settings, knowledge, clean_db, smtp_server,
                                                           frozen_clock) -> None:
    from fastapi.testclient import TestClient

    from loket.app import create_app
    app = create_app(settings.model_copy(update=smtp_server.settings_overrides), knowledge=knowledge)
    try:
        _seed_region(app)
        add_coach(app, "c-a", "bestuur-2")
        with TestClient(app) as client:
            submit(client)
            start = _plan(client, app)
        deliver_due(app.state.ctx)
        received = {m["To"]: m for m in smtp_server.messages if m["Subject"].startswith("Afspraak")}
        assert set(received) == {"sanne@example.org", "c-a@example.org"}
        for message in received.values():
            [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
            assert part.get_filename() == "loopbaangesprek.ics"
            calendar = icalendar.Calendar.from_ical(part.get_content())
            assert str(calendar["method"]) == "REQUEST"
            [event] = calendar.walk("VEVENT")
            assert event.decoded("dtstart") == datetime.fromisoformat(start)
            assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 3600
            attendees = sorted(str(a) for a in event.get("attendee"))
            assert attendees == ["mailto:c-a@example.org", "mailto:sanne@example.org"]
            assert str(event["uid"]).endswith("@loket")
        assert all(m.status == "sent" for m in outbox(app))
    finally:
        app.state.ctx.engine.dispose()


def _seed_region(app) -> None:  # type: ignore[no-untyped-def]
    from loket.bestuur.models import Bestuur
    from loket.db import transaction
    from loket.regio.models import Plaats, Regio, Subregio

    with transaction(app.state.ctx.sessions) as db:
        db.add(Regio(id="midden-nederland", naam="Midden-Nederland"))
        db.flush()
        db.add(Subregio(id="utrecht-stad", regio_id="midden-nederland", naam="Utrecht stad"))
        db.flush()
        db.add(Plaats(id="utrecht", naam="Utrecht", subregio_id="utrecht-stad", lat=52.09, lon=5.12))
        for n in (1, 2, 3):
            db.add(Bestuur(id=f"bestuur-{n}", naam=f"Stichting Test {n}", regio_id="midden-nederland"))


def test_a_coach_sees_only_their_own_requests(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    add_coach(app, "c-b", "bestuur-3")
    submit(client)
    submit(client, email="piet@example.org", wens="Iets anders", naam="Piet")
    mine, theirs = gesprekken(app)
    assert {mine.coach_id, theirs.coach_id} == {"c-a", "c-b"}
    if mine.coach_id != "c-a":
        mine, theirs = theirs, mine
    _, email, password = make_account(app, "coach", coach_id="c-a")
    token = login(client, email, password)
    home = client.get("/coach")
    assert home.status_code == 200 and mine.id[:8] in home.text and theirs.id[:8] not in home.text
    assert client.get(f"/coach/gesprek/{mine.id}").status_code == 200
    other = client.get(f"/coach/gesprek/{theirs.id}")
    assert other.status_code == 404 and theirs.naam not in other.text
    assert client.post(f"/coach/gesprek/{theirs.id}/accepteer", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/console/loopbaangesprekken/{theirs.id}").status_code == 404
    assert client.get("/console/loopbaangesprekken").status_code == 403
    assert client.get("/api/v1/loopbaangesprekken/cijfers").status_code == 403
    # Accepting through the account works like the link, and shows the contact details.
    accepted = client.post(f"/coach/gesprek/{mine.id}/accepteer", data={"csrf_token": token})
    assert accepted.status_code == 200 and mine.email in accepted.text


def test_no_bestuur_sees_a_teachers_request(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    submit(client)
    [gesprek] = gesprekken(app)
    for bestuur in ("bestuur-1", "bestuur-2"):  # the teacher's own bestuur, and the coach's
        client.cookies.clear()
        _, email, password = make_account(app, "bestuur", bestuur_id=bestuur)
        token = login(client, email, password)
        for url in ("/coach", f"/coach/gesprek/{gesprek.id}", "/console/loopbaangesprekken",
                    f"/console/loopbaangesprekken/{gesprek.id}", "/api/v1/loopbaangesprekken/cijfers"):
            response = client.get(url)
            assert response.status_code == 403, url
            assert gesprek.naam not in response.text and gesprek.email not in response.text
        blocked = client.post(f"/console/loopbaangesprekken/{gesprek.id}/routeer", data={"csrf_token": token})
        assert blocked.status_code == 403


def test_staff_see_the_whole_path(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    add_coach(app, "c-own", "bestuur-1")
    submit(client)
    [gesprek] = gesprekken(app)
    _, email, password = make_account(app, "medewerker")
    login(client, email, password)
    page = client.get(f"/console/loopbaangesprekken/{gesprek.id}")
    assert page.status_code == 200
    assert "Coach c-a" in page.text and "eigen bestuur: 1" in page.text and "expertise: leiderschap" in page.text
    assert client.get("/console/loopbaangesprekken/" + "f" * 40).status_code == 404


def test_link_purposes_are_separate() -> None:
    from loket.auth.links import LinkInvalid, sign, verify

    secret = "s" * 40
    token = sign(secret, flows.LINK_KEUZE, "abc")
    assert verify(secret, flows.LINK_KEUZE, token, max_age_seconds=60) == "abc"
    for purpose in (flows.LINK_COACH, flows.LINK_FEEDBACK):
        try:
            verify(secret, purpose, token, max_age_seconds=60)
        except LinkInvalid as exc:
            assert not exc.expired
        else:
            raise AssertionError(f"a keuze link worked for {purpose}")


def test_coach_sets_absence_and_routing_skips_them(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    add_coach(app, "c-b", "bestuur-3", expertise=[])
    _, email, password = make_account(app, "coach", coach_id="c-a")
    token = login(client, email, password)
    bad = client.post("/coach/profiel", data={"capaciteit": "2", "beschikbaarheid": "maandag", "csrf_token": token})
    assert bad.status_code == 422 and "ma 09:00-12:00" in bad.text
    saved = client.post("/coach/profiel", data={"capaciteit": "2", "beschikbaarheid": "di 10:00-12:00",
                                                "afwezig_tot": "2026-12-04", "expertise": ["leiderschap"],
                                                "csrf_token": token})
    assert saved.status_code == 200 and "opgeslagen" in saved.text
    client.cookies.clear()
    submit(client)
    [gesprek] = gesprekken(app)
    assert gesprek.coach_id == "c-b" and gesprek.toelichting["uitgesloten"] == {"c-a": "afwezig"}
