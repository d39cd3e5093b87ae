"""Every starter a coach: the list (all or nothing), one invitation and one reminder even with two
processes, "ja, graag" routes a coach never of the starter's own bestuur, "nee, dank je" stops every message,
the coaching track with .ics invites outside the school holidays, erasure with anonymous counts, figures."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from loket import clock
from loket.bestuur.models import School
from loket.db import make_engine, make_sessionmaker, transaction
from loket.loopbaangesprek.models import Loopbaangesprek
from loket.starter import service
from loket.starter.models import Starter, StarterAfspraak
from matching.workdays import add_working_days, is_working_day, working_days_after
from tests.loopbaangesprek.conftest import add_coach, outbox

LOCAL = ZoneInfo("Europe/Amsterdam")
ROWS = [
    {"naam": "Sanne de Boer", "email": "sanne@school.nl", "school": "OBS De Regenboog", "startdatum": "2026-08-24",
     "diploma_jaar": "2026", "rol": "leerkracht"},
    {"naam": "Youssef Amrani", "email": "youssef@school.nl", "school": "school-1", "startdatum": "24-08-2026",
     "diploma_jaar": "2025"},
    {"naam": "Lotte Visser", "telefoon": "06 12345678", "startdatum": "2026-08-24"},
]


@pytest.fixture
def world(region, frozen_clock):  # type: ignore[no-untyped-def]
    with transaction(region.state.ctx.sessions) as db:
        db.add(School(id="school-1", bestuur_id="bestuur-1", naam="OBS De Regenboog", plaats_id="utrecht",
                      lat=52.09, lon=5.12))
    add_coach(region, "coach-eigen", "bestuur-1", expertise=["starters en inductie"])
    add_coach(region, "coach-ander", "bestuur-2", expertise=["starters en inductie"])
    return region


def _import(app, rows=ROWS):  # type: ignore[no-untyped-def]
    with transaction(app.state.ctx.sessions) as db:
        return service.import_starters(db_session=db, bestuur_id="bestuur-1", rows=rows, actor="test")


def test_working_days_skip_dutch_public_holidays_and_school_holidays() -> None:
    assert not is_working_day(date(2026, 12, 25)) and not is_working_day(date(2026, 4, 27))  # Christmas, King's Day
    assert working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert add_working_days(datetime(2026, 4, 24, 9), 1) == datetime(2026, 4, 28, 9)  # over King's Day
    holidays = service.school_holidays()
    assert date(2026, 2, 17) in holidays and not is_working_day(date(2026, 2, 17), holidays)
    assert is_working_day(date(2026, 2, 24), holidays)


def test_an_import_with_bad_rows_adds_nothing_and_names_each_row(world) -> None:  # type: ignore[no-untyped-def]
    bad = [*ROWS, {"naam": "", "email": "x@school.nl", "startdatum": "2026-08-24"},
           {"naam": "Geen Contact", "startdatum": "2026-08-24"},
           {"naam": "Fout Adres", "email": "geen-adres", "startdatum": "2026-08-24"},
           {"naam": "Andere School", "email": "a@school.nl", "school": "KBS Elders", "startdatum": "2026-08-24"},
           {"naam": "Geen Datum", "email": "d@school.nl", "startdatum": "morgen"},
           {"naam": "Oud Diploma", "email": "o@school.nl", "startdatum": "2026-08-24", "diploma_jaar": "1888"},
           {"naam": "Dubbel", "email": "sanne@school.nl", "startdatum": "2026-08-24"}]
    report = _import(world, bad)
    assert not report.ok
    reasons = dict(report.errors)
    assert set(reasons) == {5, 6, 7, 8, 9, 10, 11}
    assert "naam" in reasons[5] and "e-mailadres of een telefoonnummer" in reasons[6]
    assert "geen e-mailadres" in reasons[7] and "hoort niet bij dit bestuur" in reasons[8]
    assert "startdatum" in reasons[9] and "diplomajaar" in reasons[10] and "regel 2" in reasons[11]
    with world.state.ctx.sessions() as db:
        assert db.scalars(select(Starter)).all() == []  # nothing half-imported
    assert _import(world).added == 3
    again = _import(world, ROWS[:1])
    assert not again.ok and "staat al op de lijst" in again.errors[0][1]


def test_each_starter_is_invited_once_and_reminded_once_even_by_two_processes(world, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    _import(world)
    ctx = world.state.ctx
    url = ctx.engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url), make_engine(url)]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def process(engine) -> None:  # type: ignore[no-untyped-def]
        sessions = make_sessionmaker(engine)
        barrier.wait(timeout=10)
        with transaction(sessions) as db:
            results.append(service.invite_due(ctx=ctx, db_session=db))

    try:
        threads = [threading.Thread(target=process, args=(e,)) for e in engines]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        for e in engines:
            e.dispose()
    assert sorted(results) in ([0, 2], [1, 1])  # the two e-mail starters, each once (the phone-only one: staff)
    mails = [m for m in outbox(world) if m.payload.get("starter_id")]
    assert sorted(m.recipient for m in mails) == ["sanne@school.nl", "youssef@school.nl"]
    assert "coach" in mails[0].body and "English" in mails[0].body and "/starter/" in mails[0].body
    frozen_clock.advance(days=8)
    with transaction(ctx.sessions) as db:
        assert service.remind_due(ctx=ctx, db_session=db) == (2, 0)
    with transaction(ctx.sessions) as db:
        assert service.remind_due(ctx=ctx, db_session=db) == (0, 0)  # one reminder only
    frozen_clock.advance(days=8)
    with transaction(ctx.sessions) as db:
        assert service.remind_due(ctx=ctx, db_session=db) == (0, 2)
        assert {s.status for s in db.scalars(select(Starter).where(Starter.email.is_not(None)))} == {"niet_bereikt"}
    assert len([m for m in outbox(world) if m.payload.get("starter_id")]) == 4


def _token(app, email: str) -> str:  # type: ignore[no-untyped-def]
    body = [m for m in outbox(app, email) if m.payload.get("starter_id")][-1].body
    return body.split("/starter/")[1].split()[0]


def test_yes_please_routes_a_coach_outside_the_starters_own_bestuur(world, client) -> None:  # type: ignore[no-untyped-def]
    _import(world)
    ctx = world.state.ctx
    with transaction(ctx.sessions) as db:
        service.invite_due(ctx=ctx, db_session=db)
    token = _token(world, "sanne@school.nl")
    page = client.get(f"/starter/{token}")
    assert page.status_code == 200 and "Ja, graag" in page.text and "Nee, dank je" in page.text
    answered = client.post(f"/starter/{token}/ja")
    assert answered.status_code == 200 and "Een coach neemt contact met je op" in answered.text
    with ctx.sessions() as db:
        starter = db.scalar(select(Starter).where(Starter.email == "sanne@school.nl"))
        gesprek = db.get(Loopbaangesprek, starter.gesprek_id)
        assert starter.status == "geaccepteerd" and gesprek.starter and gesprek.bestuur_id == "bestuur-1"
        assert gesprek.coach_id == "coach-ander"  # never the coach of the starter's own bestuur
    assert client.post(f"/starter/{token}/ja").status_code == 200  # twice: still one gesprek
    with ctx.sessions() as db:
        assert len(db.scalars(select(Loopbaangesprek)).all()) == 1


def test_no_thank_you_stops_every_message(world, client, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    _import(world)
    ctx = world.state.ctx
    with transaction(ctx.sessions) as db:
        service.invite_due(ctx=ctx, db_session=db)
    token = _token(world, "youssef@school.nl")
    assert "vragen het niet meer" in client.post(f"/starter/{token}/nee").text
    frozen_clock.advance(days=30)
    with transaction(ctx.sessions) as db:
        service.remind_due(ctx=ctx, db_session=db)
        service.invite_due(ctx=ctx, db_session=db)
    assert len([m for m in outbox(world, "youssef@school.nl") if m.payload.get("starter_id")]) == 1
    with ctx.sessions() as db:
        assert db.scalar(select(Starter.status).where(Starter.email == "youssef@school.nl")) == "geweigerd"


def test_forget_me_erases_the_starter_but_keeps_the_anonymous_counts(world, client) -> None:  # type: ignore[no-untyped-def]
    _import(world)
    ctx = world.state.ctx
    with transaction(ctx.sessions) as db:
        service.invite_due(ctx=ctx, db_session=db)
    token = _token(world, "sanne@school.nl")
    client.post(f"/starter/{token}/ja")  # a coaching request was made for her: it is erased too
    assert "verwijderd" in client.post(f"/starter/{token}/vergeet").text
    with ctx.sessions() as db:
        assert db.scalar(select(Starter).where(Starter.naam == "Sanne de Boer")) is None
        forgotten = db.scalar(select(Starter).where(Starter.vergeten_at.is_not(None)))
        assert forgotten.email is None and forgotten.telefoon is None and forgotten.token_hash is None
        rows, total = service.figures(db_session=db)
        gesprek = db.get(Loopbaangesprek, forgotten.gesprek_id)
        assert gesprek.naam == "" and gesprek.email is None
    assert total["lijst"] == 3 and total["uitgenodigd"] == 2 and total["gecoacht"] == 1
    assert client.get(f"/starter/{token}").status_code == 404  # the link no longer works


def test_the_coach_plans_a_track_with_ics_invites_and_closes_it(world, client, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts import login, make_account

    _import(world)
    ctx = world.state.ctx
    with transaction(ctx.sessions) as db:
        service.invite_due(ctx=ctx, db_session=db)
    client.post(f"/starter/{_token(world, 'sanne@school.nl')}/ja")
    with ctx.sessions() as db:
        starter = db.scalar(select(Starter).where(Starter.email == "sanne@school.nl"))
        starter_id, gesprek_id = starter.id, starter.gesprek_id
        db.execute(__import__("sqlalchemy").update(Loopbaangesprek).where(Loopbaangesprek.id == gesprek_id)
                   .values(status="geaccepteerd"))
        db.commit()
    _, email, password = make_account(world, "coach", coach_id="coach-ander")
    csrf = login(client, email, password)
    page = client.get(f"/coach/starters/{starter_id}")
    assert page.status_code == 200 and "Begeleidingstraject" in page.text
    in_holiday = client.post(f"/coach/starters/{starter_id}/plannen",
                             data={"csrf_token": csrf, "momenten": "2027-02-23 15:30"})
    assert in_holiday.status_code == 422 and "schoolvakantie" in in_holiday.text
    planned = client.post(f"/coach/starters/{starter_id}/plannen",
                          data={"csrf_token": csrf, "momenten": "2026-12-01 15:30\n2027-01-12 15:30\n2027-03-09 15:30"})
    assert planned.status_code == 200
    invites = [m for m in outbox(world) if any(a["filename"] == "coaching.ics"
                                               for a in m.payload.get("attachments", []))]
    assert len(invites) == 6 and {m.recipient for m in invites} == {"sanne@school.nl", "coach-ander@example.org"}
    with ctx.sessions() as db:
        first = db.scalars(select(StarterAfspraak).where(StarterAfspraak.starter_id == starter_id)
                           .order_by(StarterAfspraak.at)).first()
    client.post(f"/coach/starters/{starter_id}/gehouden", data={"csrf_token": csrf, "afspraak": first.id})
    # The scheduler asks for a missing outcome once, a week after the last meeting.
    frozen_clock.advance(days=120)
    with transaction(ctx.sessions) as db:
        assert service.ask_outcomes_due(ctx=ctx, db_session=db) == 1
    with transaction(ctx.sessions) as db:
        assert service.ask_outcomes_due(ctx=ctx, db_session=db) == 0
    closed = client.post(f"/coach/starters/{starter_id}/afsluiten", data={"csrf_token": csrf, "uitkomst": "blijft"})
    assert closed.status_code == 200
    with ctx.sessions() as db:
        starter = db.get(Starter, starter_id)
        assert starter.uitkomst == "blijft"
        assert db.get(StarterAfspraak, first.id).gehouden
        rows, total = service.figures(db_session=db)
    counts = (total["lijst"], total["uitgenodigd"], total["bereikt"], total["gecoacht"], total["blijft"])
    assert counts == (3, 2, 1, 1, 1)
    by_label = {r[0]: r for r in rows}
    assert by_label["Subregio Utrecht stad"][1] == 2  # the two starters of OBS De Regenboog (Utrecht)
    assert by_label["Subregio onbekend"][1] == 1  # no school given
    # Another coach cannot see this track.
    _, email2, password2 = make_account(world, "coach", coach_id="coach-eigen")
    from fastapi.testclient import TestClient

    with TestClient(world) as other:
        login(other, email2, password2)
        assert other.get(f"/coach/starters/{starter_id}").status_code == 404


def test_the_bestuur_lists_its_starters_in_its_page(world, client) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts import login, make_account

    _, email, password = make_account(world, "bestuur", bestuur_id="bestuur-1")
    csrf = login(client, email, password)
    one = client.post("/bestuur/starters", data={"csrf_token": csrf, "naam": "Sanne de Boer",
                                                 "email": "sanne@school.nl", "school": "school-1",
                                                 "startdatum": "2026-08-24", "diploma_jaar": "2026"})
    assert one.status_code == 200 and "Toegevoegd: 1" in one.text
    bad_file = b"naam;email;startdatum\nPiet;piet;2026-08-24\n"
    upload = client.post("/bestuur/starters", data={"csrf_token": csrf},
                         files={"bestand": ("starters.csv", bad_file, "text/csv")})
    assert upload.status_code == 422 and "Regel 2" in upload.text
    page = client.get("/bestuur/starters")
    assert "Sanne de Boer" in page.text and "Nog niet uitgenodigd" in page.text
    assert clock.now()  # the page and the figures use the frozen clock
