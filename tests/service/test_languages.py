"""The intake in Arabic, Ukrainian and Turkish next to Dutch and English, tried as a newcomer would.

Start in a language, answer the consent in that language, switch halfway keeping every answer, get the
advice's route titles in that language; the browser's Accept-Language picks the language; errors come in
the person's language; staff see the person's language and their answers in Dutch.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.intake_driver import run_to_done
from tests.service.test_intake_api import Chat

ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
TURKISH = re.compile(r"[çğıİöşüÇĞÖŞÜ]")
SCRIPT = {"ar": ARABIC, "uk": CYRILLIC, "tr": TURKISH}
YES = {"ar": "نعم", "uk": "так", "tr": "evet"}


def _texts(turn: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


@pytest.mark.parametrize("language", ["ar", "uk", "tr"])
def test_a_newcomer_starts_answers_the_consent_and_gets_the_first_question(client: TestClient,
                                                                           language: str) -> None:
    chat = Chat(client, language)
    assert chat.first["language"] == language
    assert SCRIPT[language].search(_texts(chat.first)), _texts(chat.first)
    assert chat.first["expecting"]["slot"] == "consent"
    labels = [c["label"] for c in chat.first["expecting"]["choices"]]
    assert all(SCRIPT[language].search(label) or language == "tr" for label in labels), labels
    turn = chat.say(YES[language])
    assert turn["expecting"]["slot"] not in ("consent", None), turn
    assert turn["language"] == language
    assert SCRIPT[language].search(_texts(turn)), _texts(turn)
    assert chat.profile()["consent"] is True


@pytest.mark.parametrize(("header", "language"), [
    ("ar-SY,ar;q=0.9,en;q=0.5", "ar"), ("uk-UA", "uk"), ("de-DE,tr;q=0.7,en;q=0.3", "tr"),
    ("fr-FR,fr;q=0.9", "nl"), ("en-GB,en;q=0.9,nl;q=0.8", "en"), ("nl-BE", "nl"), ("tr;q=0,en", "en"),
])
def test_the_browser_language_chooses_the_chat_language(client: TestClient, header: str, language: str) -> None:
    turn = client.post("/api/v1/intake", json={"channel": "web"}, headers={"Accept-Language": header}).json()
    assert turn["language"] == language


def test_an_unknown_language_is_refused_in_words(client: TestClient) -> None:
    response = client.post("/api/v1/intake", json={"language": "de"}, headers={"Accept-Language": "uk"})
    assert response.status_code == 422
    assert CYRILLIC.search(response.json()["detail"]), response.json()


def test_errors_come_in_the_persons_language(client: TestClient) -> None:
    response = client.post("/api/v1/intake/does-not-exist/messages", json={"text": "نعم"},
                           headers={"Authorization": "Bearer wrong", "Accept-Language": "ar"})
    assert response.status_code == 404
    assert ARABIC.search(response.json()["detail"]), response.json()


def test_switching_from_arabic_to_dutch_halfway_keeps_every_answer(client: TestClient) -> None:
    chat = Chat(client, "ar")
    chat.say("نعم")
    chat.say("أريد أن أصبح معلم في مدرسة ابتدائية")
    chat.say("عمري ٣٥ سنة. أسكن في أوترخت")
    before = chat.profile()
    assert before["age"] == 35 and before["place"] == "Utrecht" and before["goal_role"] == "groepsleerkracht"
    turn = client.post(f"/api/v1/intake/{chat.id}/language", json={"language": "nl"}, headers=chat.auth).json()
    assert turn["language"] == "nl"
    assert not ARABIC.search(_texts(turn)), _texts(turn)
    after = chat.profile()
    assert {k: v for k, v in after.items() if k != "language"} == {k: v for k, v in before.items() if k != "language"}
    assert after["language"] == "nl"
    asked_again = turn["expecting"]["slot"]
    assert asked_again not in ("age", "place", "goal_role", "consent"), asked_again


@pytest.mark.parametrize("language", ["ar", "uk", "tr"])
def test_the_advice_is_in_the_persons_language(client: TestClient, knowledge, language: str) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client, language)
    turns = run_to_done(chat.say, chat.first)
    advice = next(t["advice"] for t in reversed(turns) if t.get("advice"))
    titles = {r.id: r.title.get(language) for r in knowledge.routes.routes}
    assert advice["routes"], advice
    for route in advice["routes"]:
        assert route["title"] == titles[route["id"]]
        assert SCRIPT[language].search(route["title"]) or language == "tr"
        assert all(SCRIPT[language].search(reason) or language == "tr" for reason in route["reasons"][:1])
    assert advice["next_steps"]


def test_a_foreign_diploma_gets_the_order_of_steps_in_the_persons_language(client: TestClient,
                                                                           knowledge) -> None:  # type: ignore[no-untyped-def]
    body = {"profile": {"foreign_diploma": "buiten_eu", "education_level": "wo_bachelor", "dutch_level": "a2",
                        "goal_role": "groepsleerkracht", "language": "uk"}}
    advice = client.post("/api/v1/advice", json=body).json()
    first = advice["next_steps"][0]
    assert CYRILLIC.search(first) and "1." in first and "2." in first and "3." in first, first
    assert "DUO" in first and "IDW" in first and "B2" in first and "duo.nl" in first


def test_the_widget_gets_its_words_in_every_language(client: TestClient) -> None:
    body = client.get("/api/v1/widget/texts").json()
    codes = [lang["code"] for lang in body["languages"]]
    assert codes == ["nl", "en", "ar", "uk", "tr"]
    assert {lang["code"]: lang["direction"] for lang in body["languages"]}["ar"] == "rtl"
    keys = set(body["texts"]["nl"])
    for code in codes:
        assert set(body["texts"][code]) == keys
        assert all(value.strip() for value in body["texts"][code].values()), code
    assert ARABIC.search(body["texts"]["ar"]["send"]) and CYRILLIC.search(body["texts"]["uk"]["send"])
