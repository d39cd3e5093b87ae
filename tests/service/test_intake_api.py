"""The public intake API: the contract, ordering and idempotency, consent, resume, erase, and bad input."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from loket.intake.models import ContactVerzoek, IntakeBericht, IntakeEvent, IntakeSessie, VerwerktBericht
from tests.service.intake_driver import run_to_done


class Chat:
    """One person's intake through the HTTP API."""

    def __init__(self, client: TestClient, language: str = "nl") -> None:
        self.client = client
        response = client.post("/api/v1/intake", json={"language": language, "channel": "web"})
        assert response.status_code == 201, response.text
        self.first = response.json()
        self.id = self.first["session_id"]
        self.token = self.first["token"]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def say(self, message: str, client_message_id: str | None = None, expect: int = 200) -> dict[str, Any]:
        body: dict[str, Any] = {"text": message}
        if client_message_id:
            body["client_message_id"] = client_message_id
        response = self.client.post(f"/api/v1/intake/{self.id}/messages", json=body, headers=self.auth)
        assert response.status_code == expect, response.text
        return response.json()

    def profile(self) -> dict[str, Any]:
        return self.client.get(f"/api/v1/intake/{self.id}", headers=self.auth).json()["profile"]


def _db(app):  # type: ignore[no-untyped-def]
    return app.state.ctx.sessions()


def test_start_asks_consent_first(client: TestClient) -> None:
    chat = Chat(client)
    assert chat.first["token"] and chat.first["session_id"]
    assert chat.first["expecting"]["slot"] == "consent"
    assert chat.first["expecting"]["kind"] == "consent"
    assert chat.first["done"] is False
    assert chat.first["messages"][0]["text"]


def test_full_intake_to_advice(client: TestClient, knowledge) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    turns = run_to_done(chat.say, chat.first)
    last = turns[-1]
    assert last["done"] is True
    advice = last["advice"]
    ids = [r["id"] for r in advice["routes"]]
    assert sorted(ids) == sorted(r.id for r in knowledge.routes.routes)
    assert all(r["reasons"] for r in advice["routes"] if r["fit"] == "no")
    assert client.get(f"/api/v1/intake/{chat.id}", headers=chat.auth).json()["done"] is True
    again = client.get(f"/api/v1/intake/{chat.id}/advice", headers=chat.auth)
    assert again.status_code == 200 and len(again.json()["routes"]) == len(ids)


def test_mixed_initiative_sentence_fills_several_slots(client: TestClient) -> None:
    chat = Chat(client)
    chat.say("ja")
    turn = chat.say("ik ben 35, heb een wo-master psychologie, woon in Amersfoort en wil 3 dagen werken")
    profile = chat.profile()
    assert profile["age"] == 35
    assert profile["education_level"] == "master"
    assert profile["place"] == "Amersfoort"
    assert profile["days_per_week"] == 3
    assert (turn["expecting"] or {}).get("slot") not in ("age", "education_level", "place", "days_per_week")


def test_nothing_typed_before_consent_is_stored(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("Ik ben Jan Jansen, jan.jansen@example.org, 0612345678")
    chat.say("nee")
    with _db(app) as db:
        assert db.scalar(select(func.count()).select_from(IntakeBericht)) == 0
        assert db.scalar(select(func.count()).select_from(IntakeEvent).where(IntakeEvent.value.is_not(None))) == 0
        sessie = db.get(IntakeSessie, chat.id)
        assert sessie.profile == {} and sessie.consent_at is None and sessie.resume_code is None
        dump = json.dumps(sessie.state)
    assert "jan" not in dump.lower() and "0612345678" not in dump


def test_consent_gives_a_resume_code_and_its_expiry(client: TestClient) -> None:
    chat = Chat(client)
    turn = chat.say("ja")
    assert turn["resume_code"] and len(turn["resume_code"]) == 9
    assert turn["expires_at"]
    assert any(turn["resume_code"] in m["text"] for m in turn["messages"])


def test_same_client_message_id_is_applied_once(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja", client_message_id="m1")
    first = chat.say("ik ben 40", client_message_id="m2")
    second = chat.say("ik ben 40", client_message_id="m2")
    assert first == second
    with _db(app) as db:
        answered = db.scalar(select(func.count()).select_from(IntakeEvent).where(
            IntakeEvent.sessie_id == chat.id, IntakeEvent.slot == "age", IntakeEvent.type.in_(["answered", "edited"])))
        assert answered == 1
        assert db.scalar(select(func.count()).select_from(VerwerktBericht)) == 2


def test_two_messages_at_once_are_both_applied(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    results: list[int] = []

    def send(message: str, mid: str) -> None:
        response = client.post(f"/api/v1/intake/{chat.id}/messages", json={"text": message, "client_message_id": mid},
                               headers=chat.auth)
        results.append(response.status_code)

    threads = [threading.Thread(target=send, args=("ik ben 35 jaar", "a")),
               threading.Thread(target=send, args=("ik woon in Utrecht", "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200, 200]
    profile = chat.profile()
    # Neither update was lost: the second message saw the state of the first.
    assert profile["age"] == 35 and profile["place"] == "Utrecht"
    with _db(app) as db:
        assert db.get(IntakeSessie, chat.id).message_count == 3


def test_wrong_or_missing_token_and_unknown_session(client: TestClient) -> None:
    chat = Chat(client)
    other = Chat(client)
    url = f"/api/v1/intake/{chat.id}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"Authorization": "Bearer nope"}).status_code == 404
    assert client.get(url, headers=other.auth).status_code == 404  # another person's token
    assert client.get("/api/v1/intake/" + "x" * 5000, headers=chat.auth).status_code == 404
    response = client.post("/api/v1/intake/doesnotexist/messages", json={"text": "hoi"}, headers=chat.auth)
    assert response.status_code == 404
    assert "gesprek" in response.json()["detail"]


def test_huge_message_is_refused_and_nothing_is_lost(client: TestClient) -> None:
    chat = Chat(client)
    chat.say("ja")
    chat.say("ik ben 35")
    before = chat.profile()
    response = client.post(f"/api/v1/intake/{chat.id}/messages", json={"text": "a" * 100_000}, headers=chat.auth)
    assert response.status_code == 413
    assert "te lang" in response.json()["detail"]
    assert chat.profile() == before
    way_too_big = client.post(f"/api/v1/intake/{chat.id}/messages", content=b'{"text": "' + b"b" * 2_000_000 + b'"}',
                              headers={**chat.auth, "Content-Type": "application/json"})
    assert way_too_big.status_code == 413
    assert chat.profile() == before


@pytest.mark.parametrize("payload", [b"{not json", b"[]", b'{"txt": "hoi"}', b'{"text": 12}', b""])
def test_malformed_bodies_get_a_clear_422(client: TestClient, payload: bytes) -> None:
    chat = Chat(client)
    response = client.post(f"/api/v1/intake/{chat.id}/messages", content=payload,
                           headers={**chat.auth, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize("message", [
    "nul\x00byte", "\ud800 lone surrogate", "emoji 👩🏽‍🏫🍎", "rtl \u202ehello", "ｆｕｌｌ ｗｉｄｔｈ ３５",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE intake_sessie; --", "   ",
])
def test_odd_input_never_breaks(app, client: TestClient, message: str) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    raw = json.dumps({"text": message}, ensure_ascii=True).encode()
    response = client.post(f"/api/v1/intake/{chat.id}/messages", content=raw,
                           headers={**chat.auth, "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    with _db(app) as db:
        assert db.execute(text("SELECT count(*) FROM intake_sessie")).scalar() >= 1
        stored = db.scalars(select(IntakeBericht.text).where(IntakeBericht.sessie_id == chat.id,
                                                             IntakeBericht.direction == "in")).all()
    assert all("\x00" not in s for s in stored)


def test_resume_with_code_and_after_a_restart(app, client: TestClient, settings, knowledge) -> None:  # type: ignore[no-untyped-def]
    from loket.app import create_app

    chat = Chat(client)
    code = chat.say("ja")["resume_code"]
    chat.say("ik ben 35")
    # A new app instance on the same database (a server restart) continues the conversation.
    with TestClient(create_app(settings, knowledge=knowledge)) as fresh:
        turn = fresh.get(f"/api/v1/intake/{chat.id}/turn", headers=chat.auth).json()
        assert turn["expecting"]["slot"] != "age"
        assert any(h["direction"] == "in" for h in turn["history"])
        resumed = fresh.post("/api/v1/intake/resume", json={"code": code.lower().replace("-", " ")})
        assert resumed.status_code == 200
        body = resumed.json()
        assert body["session_id"] == chat.id and body["token"]
        new_auth = {"Authorization": f"Bearer {body['token']}"}
        assert fresh.get(f"/api/v1/intake/{chat.id}", headers=new_auth).json()["profile"]["age"] == 35
        # The code moved the conversation: the old device's token no longer works.
        assert fresh.get(f"/api/v1/intake/{chat.id}", headers=chat.auth).status_code == 404
    assert client.post("/api/v1/intake/resume", json={"code": "ZZZZ-ZZZZ"}).status_code == 404


def test_language_switch_keeps_answers(client: TestClient) -> None:
    chat = Chat(client)
    chat.say("ja")
    chat.say("ik ben 35")
    turn = client.post(f"/api/v1/intake/{chat.id}/language", json={"language": "en"}, headers=chat.auth).json()
    assert turn["language"] == "en"
    assert chat.profile()["age"] == 35
    assert client.post(f"/api/v1/intake/{chat.id}/language", json={"language": "de"},
                       headers=chat.auth).status_code == 422


def test_handoff_creates_a_request_with_an_honest_promise(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    chat.say("ik ben 35 en woon in Utrecht")
    turn = chat.say("ik wil iemand spreken")
    assert turn["expecting"]["slot"] == "contact"
    turn = chat.say("jan@example.org")
    for _ in range(3):
        if "handoff" in turn:
            break
        turn = chat.say("overdag, liefst per mail")
    assert "handoff" in turn
    assert any("jan@example.org" in m["text"] for m in turn["messages"])
    with _db(app) as db:
        request = db.scalar(select(ContactVerzoek).where(ContactVerzoek.sessie_id == chat.id))
        assert request is not None and request.contact == "jan@example.org"
        assert request.samenvatting.get("age") == 35
        assert request.beloofd_voor is not None


def test_erase_my_data(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    chat.say("ik ben 35 en woon in Utrecht")
    response = client.delete(f"/api/v1/intake/{chat.id}", headers=chat.auth)
    assert response.status_code == 200
    assert response.json()["session_id"] == chat.id
    assert client.get(f"/api/v1/intake/{chat.id}", headers=chat.auth).status_code == 404
    with _db(app) as db:
        assert db.get(IntakeSessie, chat.id) is None
        assert db.scalar(select(func.count()).select_from(IntakeBericht)) == 0
        # Anonymous counters stay for the drop-off chart, without values.
        assert db.scalar(select(func.count()).select_from(IntakeEvent)) > 0
        assert db.scalar(select(func.count()).select_from(IntakeEvent).where(IntakeEvent.value.is_not(None))) == 0


def test_erase_by_chat_command(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client)
    chat.say("ja")
    chat.say("ik ben 35")
    turn = chat.say("verwijder mijn gegevens")
    if not turn.get("erased"):
        turn = chat.say("ja")  # the engine may ask to confirm
    assert turn.get("erased") is True
    with _db(app) as db:
        assert db.get(IntakeSessie, chat.id) is None


def test_stateless_advice_stores_nothing(app, client: TestClient, knowledge) -> None:  # type: ignore[no-untyped-def]
    with _db(app) as db:
        before = db.execute(text("SELECT count(*) FROM match")).scalar()
    response = client.post("/api/v1/advice", json={"profile": {}})
    assert response.status_code == 200
    advice = response.json()
    assert len(advice["routes"]) == len(knowledge.routes.routes)
    assert len({r["id"] for r in advice["routes"]}) == len(advice["routes"])
    assert advice["next_steps"]
    with _db(app) as db:
        assert db.execute(text("SELECT count(*) FROM match")).scalar() == before
        assert db.execute(text("SELECT count(*) FROM intake_sessie")).scalar() == 0


@pytest.mark.parametrize("profile", [{"education_level": "doctor"}, {"age": 300}, {"days_per_week": 9},
                                     {"unknown_slot": 1}, {"exam_subjects": "aardrijkskunde"}])
def test_advice_rejects_invalid_profiles(client: TestClient, profile: dict) -> None:  # type: ignore[type-arg]
    response = client.post("/api/v1/advice", json={"profile": profile}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "cannot read" in response.json()["detail"]


def test_openapi_lists_every_expecting_step_with_what_it_asks(client) -> None:
    from bot.state import STEPS

    schema = client.get("/openapi.json").json()
    expecting = schema["components"]["schemas"]["ExpectingOut"]["properties"]["slot"]
    assert set(STEPS) <= set(expecting["enum"])
    assert {"education_level", "goal_role", "age"} <= set(expecting["enum"])
    for step in STEPS:
        assert f"`{step}`" in expecting["description"]
    turn = schema["paths"]["/api/v1/intake/{session_id}/messages"]["post"]["responses"]["200"]
    assert turn["content"]["application/json"]["schema"]["$ref"].endswith("/TurnBody")


def test_every_step_takes_free_text_as_well_as_a_button(client) -> None:
    """The summary, a restart and a handoff, answered in words as people type them."""
    turn = client.post("/api/v1/intake", json={"language": "nl"}).json()
    sid, auth = turn["session_id"], {"Authorization": f"Bearer {turn['token']}"}

    def send(text: str) -> dict:
        response = client.post(f"/api/v1/intake/{sid}/messages", json={"text": text}, headers=auth)
        assert response.status_code == 200, response.text
        return response.json()

    turn = send("ja hoor")
    assert turn["expecting"]["slot"] == "goal_role"
    turn = send("opnieuw beginnen")
    assert turn["expecting"]["slot"] == "restart"
    turn = send("nee hoor, laat maar")
    assert turn["expecting"]["slot"] == "goal_role"
    turn = send("ik wil iemand spreken")
    assert turn["expecting"]["slot"] == "contact"
    turn = send("laat maar")
    assert turn["expecting"]["slot"] == "goal_role"
    while turn["expecting"] and turn["expecting"]["slot"] != "confirm":
        turn = send("weet ik niet")
    turn = send("ja, klopt")
    assert turn["done"] is True
