"""Candidate page, follow-up reminders (a job), the handoff inbox, and account invites."""

from __future__ import annotations

import re

from sqlalchemy import select

from loket.audit.models import AuditEvent
from loket.console.models import Opvolging
from loket.console.scheduled import remind_due
from loket.intake.models import ContactVerzoek, IntakeBericht
from loket.kandidaat.models import Kandidaat
from loket.medewerker.models import Medewerker
from loket.outbox.models import OutboxBericht
from tests.accounts import csrf_from, login, make_account


def test_stage_notes_and_follow_up_reminder(as_role, seeded, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("medewerker")
    with seeded.state.ctx.sessions() as db:
        kandidaat = db.scalars(select(Kandidaat).order_by(Kandidaat.id)).first()
    page = staff.client.get(f"/console/kandidaten/{kandidaat.id}")
    assert page.status_code == 200 and "Antwoorden uit de intake" in page.text
    base = {
        "naam": "Sam de Vries",
        "email": "sam@example.org",
        "telefoon": "",
        "plaats": "Amersfoort",
        "notities": "Belt na de open dag.",
        "fase": "orientatie",
    }
    for bad, words in (
        ({"volgende_actie_op": "2026-11-01"}, "in het verleden"),
        ({"volgende_actie_op": "morgen"}, "klopt niet"),
        ({"email": "geen-adres"}, "e-mailadres klopt niet"),
        ({"fase": "astronaut"}, "Kies een fase"),
    ):
        response = staff.post(f"/console/kandidaten/{kandidaat.id}", {**base, **bad})
        assert response.status_code == 422 and words in response.text, bad
    with seeded.state.ctx.sessions() as db:
        assert db.get(Kandidaat, kandidaat.id).notities is None  # nothing of a refused form is kept
    response = staff.post(
        f"/console/kandidaten/{kandidaat.id}",
        {**base, "volgende_actie_op": "2026-11-27", "opvolg_notitie": "Vragen naar de VOG"},
    )
    assert response.status_code == 303
    page = staff.client.get(f"/console/kandidaten/{kandidaat.id}").text
    assert 'aria-current="step" class="now">Oriëntatie' in page
    with seeded.state.ctx.sessions() as db:
        stored = db.get(Kandidaat, kandidaat.id)
        assert (stored.fase, stored.naam, str(stored.volgende_actie_op)) == ("orientatie", "Sam de Vries", "2026-11-27")
        edit = db.scalar(select(AuditEvent).where(AuditEvent.action == "kandidaat.edit"))
        assert "fase" in edit.detail["velden"] and "Sam" not in str(edit.detail)  # fields, never values
        views = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "kandidaat.view", AuditEvent.object_id == kandidaat.id)
        ).all()
        assert len(views) >= 2 and all(v.actor == f"medewerker:{staff.id}" for v in views)
    ctx = seeded.state.ctx
    assert remind_due(ctx) == 0  # not yet due
    frozen_clock.advance(days=1, hours=22)  # Friday 27 November 07:00 UTC = 08:00 in Utrecht
    assert remind_due(ctx) == 1
    assert remind_due(ctx) == 0  # once only
    with seeded.state.ctx.sessions() as db:
        me = db.get(Medewerker, staff.id)
        mail = db.scalar(select(OutboxBericht).where(OutboxBericht.recipient == me.email))
        assert "Sam de Vries" in mail.subject and "Vragen naar de VOG" in mail.body and kandidaat.id in mail.body
        assert db.scalar(select(Opvolging).where(Opvolging.kandidaat_id == kandidaat.id)).status == "verstuurd"


def test_handoff_inbox_shows_sla_and_replies_land_in_the_chat(as_role, seeded, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("medewerker")
    with seeded.state.ctx.sessions() as db:
        verzoek = db.scalars(
            select(ContactVerzoek).where(ContactVerzoek.status == "open").order_by(ContactVerzoek.beloofd_voor)
        ).first()
    inbox = staff.client.get("/console/contact").text
    assert verzoek.id in inbox and "oud" in inbox
    if verzoek.beloofd_voor < frozen_clock.now():
        assert "Te laat" in inbox
    empty = staff.post(f"/console/contact/{verzoek.id}/antwoord", {"tekst": "  "})
    assert empty.status_code == 422 and "Schrijf eerst een antwoord" in empty.text
    response = staff.post(
        f"/console/contact/{verzoek.id}/antwoord", {"tekst": "Hoi! Ik bel je donderdag om 10 uur. <b>Groet</b>"}
    )
    assert response.status_code == 303
    with seeded.state.ctx.sessions() as db:
        reply = db.scalar(
            select(IntakeBericht).where(IntakeBericht.sessie_id == verzoek.sessie_id, IntakeBericht.author == staff.id)
        )
        assert reply.direction == "out" and "donderdag" in reply.text
        assert db.scalar(select(OutboxBericht).where(OutboxBericht.recipient == verzoek.contact)) is not None
        assert db.get(ContactVerzoek, verzoek.id).status == "in_behandeling"
    page = staff.client.get(f"/console/contact/{verzoek.id}").text
    assert "&lt;b&gt;Groet&lt;/b&gt;" in page and "(medewerker)" in page
    assert staff.post(f"/console/contact/{verzoek.id}/afronden").status_code == 303
    assert verzoek.id not in staff.client.get("/console/contact").text
    assert verzoek.id in staff.client.get("/console/contact?status=afgerond").text


def test_invite_set_password_login_and_disable(app, client, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    _id, email, password = make_account(app, "beheerder")
    csrf = login(client, email, password)
    form = {"csrf_token": csrf, "email": "Nieuw@Loket.example", "naam": "Nieuwe collega", "rol": "medewerker"}
    assert client.post("/console/accounts", data=form, follow_redirects=False).status_code == 303
    again = client.post("/console/accounts", data=form, follow_redirects=False)
    assert again.status_code == 422 and "al een account" in again.text
    coach = client.post("/console/accounts", data={**form, "email": "c@example.org", "rol": "coach"})
    assert coach.status_code == 422 and "coach-id" in coach.text
    with app.state.ctx.sessions() as db:
        invited = db.scalar(select(Medewerker).where(Medewerker.email == "nieuw@loket.example"))
        assert invited.password_hash is None
        mail = db.scalar(select(OutboxBericht).where(OutboxBericht.recipient == "nieuw@loket.example"))
    link = re.search(r"(/account/wachtwoord\?token=\S+)", mail.body).group(1)
    from fastapi.testclient import TestClient

    with TestClient(app, headers={"accept": "text/html"}) as newcomer:
        page = newcomer.get(link)
        assert page.status_code == 200 and "Nieuwe collega" in page.text
        token = link.split("token=")[1]
        short = newcomer.post(
            "/account/wachtwoord",
            data={"csrf_token": csrf_from(page.text), "token": token, "wachtwoord": "kort", "herhaal": "kort"},
        )
        assert short.status_code == 422 and "minstens 12" in short.text
        done = newcomer.post(
            "/account/wachtwoord",
            data={
                "csrf_token": csrf_from(page.text),
                "token": token,
                "wachtwoord": "een lange goede zin",
                "herhaal": "een lange goede zin",
            },
        )
        assert done.status_code == 200 and "opgeslagen" in done.text
        assert newcomer.get(link).status_code == 400  # the link is used up
        assert newcomer.get("/account/wachtwoord?token=vervalst").status_code == 400
        login(newcomer, "nieuw@loket.example", "een lange goede zin")
        assert newcomer.get("/console", follow_redirects=False).status_code == 200
        # The beheerder disables the account: the newcomer's open session ends at once.
        refused = client.post(
            f"/console/accounts/{invited.id}/uitschakelen", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert refused.status_code == 303
        after = newcomer.get("/console", follow_redirects=False)
        assert after.status_code == 303 and after.headers["location"].startswith("/login")
    own = client.post(f"/console/accounts/{_id}/uitschakelen", data={"csrf_token": csrf})
    assert "niet uitschakelen" in own.text
    with app.state.ctx.sessions() as db:
        assert db.get(Medewerker, _id).actief
        actions = set(db.scalars(select(AuditEvent.action)).all())
    assert {"account.invite", "account.password_set", "account.disable"} <= actions
