"""Reviewing proposals: the person hears the approved advice in their own chat; overrides are labelled data."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from loket.audit.models import AuditEvent
from loket.intake.models import IntakeBericht
from loket.kandidaat.models import Kandidaat
from loket.match.models import Match
from loket.outbox.models import OutboxBericht
from tests.service.intake_driver import answer_for


def _finish_intake(client) -> dict:  # type: ignore[no-untyped-def]
    """A real web intake through the public API, up to the advice."""
    turn = client.post("/api/v1/intake", json={"language": "nl", "channel": "web"}).json()
    sid, token = turn["session_id"], turn["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for n in range(60):
        if turn.get("done"):
            return {"session_id": sid, "headers": headers}
        turn = client.post(
            f"/api/v1/intake/{sid}/messages",
            headers=headers,
            json={"text": answer_for(turn), "client_message_id": f"m{n}"},
        ).json()
    raise AssertionError("intake did not finish")


def test_approving_a_fresh_advice_tells_the_person_in_their_chat(as_role, seeded, client) -> None:  # type: ignore[no-untyped-def]
    intake = _finish_intake(client)
    with seeded.state.ctx.sessions() as db:
        match = db.scalar(select(Match).where(Match.sessie_id == intake["session_id"]))
        assert match is not None and match.status == "voorgesteld" and match.soort == "advies"
        kandidaat = db.get(Kandidaat, match.kandidaat_id)
        assert kandidaat.fase == "nieuw"
    staff = as_role("medewerker")
    assert match.id in staff.client.get("/console/beoordelen").text
    response = staff.post(f"/console/beoordelen/{match.id}", {"besluit": "goedkeuren"})
    assert response.status_code == 303
    assert "goedgekeurd" in staff.client.get(response.headers["location"]).text
    with seeded.state.ctx.sessions() as db:
        match = db.get(Match, match.id)
        assert match.status == "goedgekeurd" and match.beoordelaar_id == staff.id
        assert db.get(Kandidaat, match.kandidaat_id).fase == "geinformeerd"
        out = db.scalars(
            select(IntakeBericht).where(
                IntakeBericht.sessie_id == intake["session_id"], IntakeBericht.author == staff.id
            )
        ).all()
        assert len(out) == 1 and "heeft je advies bekeken" in out[0].text
        assert (
            db.scalar(
                select(AuditEvent).where(AuditEvent.action == "match.goedkeuren", AuditEvent.object_id == match.id)
            )
            is not None
        )
    # The widget shows the stored conversation on reload: the reviewed advice is in it, with its author.
    history = client.get(f"/api/v1/intake/{intake['session_id']}/turn", headers=intake["headers"]).json()["history"]
    assert history[-1]["author"] == staff.id and "heeft je advies bekeken" in history[-1]["text"]
    # Deciding twice is refused, and the first decision stays.
    again = staff.post(f"/console/beoordelen/{match.id}", {"besluit": "afwijzen", "reden": "toch niet"})
    assert again.status_code == 422 and "al beoordeeld" in again.text


def test_override_needs_a_choice_and_a_reason_and_mails_the_new_advice(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded.state.ctx.sessions() as db:
        row = db.execute(
            select(Match, Kandidaat)
            .join(Kandidaat, Match.kandidaat_id == Kandidaat.id)
            .where(Match.status == "voorgesteld", Kandidaat.email.is_not(None))
            .order_by(Match.id)
        ).first()
        match, kandidaat = row
    staff = as_role("coordinator")
    other = "pabo-deeltijd" if match.onderwerp_id != "pabo-deeltijd" else "pabo-voltijd"
    for form, words in (
        ({"besluit": "overschrijven", "keuze": other}, "Schrijf kort waarom"),
        ({"besluit": "overschrijven", "reden": "past beter"}, "Kies wat je"),
        ({"besluit": "overschrijven", "reden": "past beter", "keuze": "bestaat-niet"}, "bestaat niet"),
        ({"besluit": "overschrijven", "reden": "past beter", "keuze": match.onderwerp_id}, "hetzelfde"),
        ({"besluit": "afwijzen", "reden": ""}, "Schrijf kort waarom"),
        ({"besluit": "afwijzen", "reden": "x" * 2001}, "te lang"),
    ):
        response = staff.post(f"/console/beoordelen/{match.id}", form)
        assert response.status_code == 422 and words in response.text and 'role="alert"' in response.text, form
    with seeded.state.ctx.sessions() as db:
        assert db.get(Match, match.id).status == "voorgesteld"
    response = staff.post(
        f"/console/beoordelen/{match.id}",
        {"besluit": "overschrijven", "keuze": other, "reden": "Werkt al als assistent"},
    )
    assert response.status_code == 303
    with seeded.state.ctx.sessions() as db:
        stored = db.get(Match, match.id)
        assert (stored.status, stored.vervangen_door, stored.reden) == ("overschreven", other, "Werkt al als assistent")
        mail = db.scalar(select(OutboxBericht).where(OutboxBericht.recipient == kandidaat.email))
        assert mail is not None and "aangepast" in mail.body and mail.channel == "email"
    # The labelled data: proposal, choice and reason next to the intake answers, read back from Excel.
    export = staff.client.get("/console/beoordelen/beoordelingen.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    mine = next(r for r in rows if r["match_id"] == match.id)
    assert (mine["label"], mine["voorstel_id"], mine["gekozen_id"], mine["reden"]) == (
        "overschreven",
        match.onderwerp_id,
        other,
        "Werkt al als assistent",
    )
    assert "goal_role" in header and mine["goal_role"]


def test_match_export_to_excel_reads_back(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("medewerker")
    response = staff.client.get("/console/beoordelen/export.xlsx?status=voorgesteld")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Matches"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["id", "soort", "status", "kandidaat_id"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    with seeded.state.ctx.sessions() as db:
        waiting = db.scalars(select(Match.id).where(Match.status == "voorgesteld")).all()
    assert sorted(r[0] for r in rows) == sorted(waiting)
    assert all(r[2] == "Te beoordelen" for r in rows)
    assert all(isinstance(r[header.index("score")], float) for r in rows)
