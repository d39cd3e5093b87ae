"""Staff see Dutch: a person who chatted in Arabic shows up with the language marked, so an adviser calls
with an interpreter or in English, and every answer in Dutch; the overview lists unreviewed languages."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from loket.intake.models import ContactVerzoek
from tests.service.test_intake_api import Chat


def test_an_arabic_handoff_is_marked_and_its_answers_are_dutch(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    person = Chat(TestClient(seeded), "ar")
    person.say("نعم")
    person.say("أريد أن أصبح معلم في مدرسة ابتدائية")
    turn = person.say("أريد التحدث مع شخص")
    assert turn["expecting"]["slot"] == "contact", turn
    turn = person.say("amal@example.org")
    for _ in range(2):
        if "handoff" in turn:
            break
        turn = person.say("في المساء")
    assert "handoff" in turn, turn
    with seeded.state.ctx.sessions() as db:
        verzoek = db.scalar(select(ContactVerzoek).where(ContactVerzoek.sessie_id == person.id))
        assert verzoek is not None
        verzoek_id, kandidaat_id = verzoek.id, verzoek.kandidaat_id

    staff = as_role("coordinator")
    inbox = staff.client.get("/console/contact").text
    assert "Arabisch" in inbox
    page = staff.client.get(f"/console/contact/{verzoek_id}").text
    assert "Taal van het gesprek: Arabisch" in page and "tolk" in page
    if kandidaat_id:
        kandidaat = staff.client.get(f"/console/kandidaten/{kandidaat_id}").text
        assert "Taal van het gesprek: Arabisch" in kandidaat
        assert "Wat je wilt worden" in kandidaat  # the question's Dutch label
        assert "leerkracht van een groep" in kandidaat  # the answer as its Dutch label
        assert "معلّم" not in kandidaat.split("Antwoorden uit de intake")[1].split("</dl>")[0]


def test_the_overview_lists_languages_not_yet_reviewed(as_role) -> None:  # type: ignore[no-untyped-def]
    page = as_role("coordinator").client.get("/console").text
    assert "Vertalingen nog niet nagekeken" in page
    assert "Arabisch" in page and "Oekraïens" in page and "Turks" in page
    assert 'lang="ar" dir="rtl"' in page
