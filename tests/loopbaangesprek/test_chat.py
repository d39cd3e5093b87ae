"""The loopbaangesprek chat: the pure engine, and the API that turns a confirmed chat into a request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.loopbaangesprek import ChatState, FlowError, LoopbaanChat, check_flow
from knowledge import KNOWLEDGE_DIR
from tests.loopbaangesprek.conftest import add_coach, gesprekken, outbox

FLOW = check_flow(yaml.safe_load((Path(KNOWLEDGE_DIR) / "loopbaangesprek" / "flow.yaml").read_text()))
BESTUREN = [("bestuur-1", "Stichting Vonk Amersfoort"), ("bestuur-2", "Stichting Primair Utrecht"),
            ("bestuur-3", "Stichting Primair Utrecht Oost")]


def _talk(engine: LoopbaanChat, state: ChatState, *texts: str) -> tuple[ChatState, Any]:
    result = None
    for text in texts:
        state, result = engine.handle(state, text)
    return state, result


def test_engine_walks_the_flow_with_buttons_typos_and_sentences() -> None:
    engine = LoopbaanChat(FLOW, BESTUREN)
    state, first = engine.start(language="nl")
    assert first.expecting.kind == "consent"
    state, turn = _talk(engine, state, "ja", "Sanne", "mijn mail is Sanne@Example.org", "vonk amersfort")
    assert state.answers["email"] == "sanne@example.org"
    assert state.answers["bestuur_id"] == "bestuur-1", "a misspelt board name is found"
    state, turn = _talk(engine, state, "leerkracht", "ja")
    assert turn.expecting.slot == "tags" and turn.expecting.kind == "multi_choice"
    state, turn = _talk(engine, state, "Ik denk aan leidinggeven, misschien in het mbo")
    assert set(state.pending) == {"leiderschap", "overstap po-vo-mbo"}
    state, turn = _talk(engine, state, "klaar")
    # The sentence already said what it is about: the wish is not asked again.
    assert state.answers["tags"] and turn.expecting.slot == "urgentie"
    state, turn = _talk(engine, state, "hoog", "telefoon", "bel me maar", "06 12345678")
    assert any(c.value == "overslaan" for c in turn.expecting.choices)  # the times are optional
    state, turn = _talk(engine, state, "overslaan")
    assert state.answers["telefoon"] == "06 12345678" and state.phase == "summary"
    assert "Stichting Vonk Amersfoort" in turn.messages[0].text
    state, turn = _talk(engine, state, "bevestig")
    assert turn.done and state.phase == "done"
    [effect] = [e for e in turn.effects if e["type"] == "loopbaangesprek"]
    assert effect["aanvraag"]["starter"] is True and effect["aanvraag"]["kanaal"] == "chat"
    assert effect["aanvraag"]["wens"].startswith("Ik denk aan leidinggeven")


def test_engine_ambiguous_board_gets_buttons_and_no_topic_means_no_skip() -> None:
    engine = LoopbaanChat(FLOW, BESTUREN)
    state, _ = engine.start()
    state, turn = _talk(engine, state, "ja", "Piet", "piet@example.org", "primair")
    assert state.asking == "bestuur_id"
    assert {c.value for c in turn.expecting.choices} >= {"bestuur-2", "bestuur-3"}
    state, turn = _talk(engine, state, "bestuur-3", "anders", "nee", "klaar")
    assert state.answers["bestuur_id"] == "bestuur-3"
    assert state.answers["tags"] == [] and turn.expecting.slot == "wens"
    assert all(c.value != "overslaan" for c in turn.expecting.choices), "without a topic the wish is needed"
    state, turn = _talk(engine, state, "overslaan")
    assert state.asking == "wens"


def test_engine_stop_restart_and_refusal_keep_nothing() -> None:
    engine = LoopbaanChat(FLOW, BESTUREN)
    state, _ = engine.start(language="en")
    state, turn = _talk(engine, state, "no")
    assert state.phase == "refused" and state.answers == {}
    state, turn = _talk(engine, state, "yes", "Sam", "stop")
    assert state.phase == "stopped" and state.answers == {"naam": "Sam"}
    state, turn = _talk(engine, state, "hello")
    assert state.phase == "asking" and state.asking == "email"
    state = ChatState.model_validate(state.model_dump(mode="json"))  # the stored JSON round-trips


def test_exact_board_name_wins_over_a_longer_one() -> None:
    engine = LoopbaanChat(FLOW, BESTUREN)
    state, _ = engine.start()
    state, _ = _talk(engine, state, "ja", "Piet", "piet@example.org", "Primair Utrecht Oost")
    assert state.answers["bestuur_id"] == "bestuur-3"


def test_flow_check_names_the_problem() -> None:
    with pytest.raises(FlowError, match="step naam: unknown kind"):
        check_flow({**FLOW, "steps": [{"slot": "naam", "kind": "essay", "ask": {}, "reask": {}}]})
    with pytest.raises(FlowError, match="texts: missing label_yes"):
        check_flow({**FLOW, "texts": {k: v for k, v in FLOW["texts"].items() if k != "label_yes"}})


def _chat(client, text: str, chat_id: str, token: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/v1/loopbaangesprek/chat/{chat_id}/messages", json={"text": text},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_chat_api_creates_the_request_and_tells_the_date(region, client, frozen_clock) -> None:
    app = region
    add_coach(app, "c-a", "bestuur-2")
    start = client.post("/api/v1/loopbaangesprek/chat", json={"language": "nl", "channel": "web"})
    assert start.status_code == 201
    body = start.json()
    chat_id, token = body["session_id"], body["token"]
    assert body["flow"] == "loopbaangesprek" and body["expecting"]["kind"] == "consent"
    for text in ("ja", "Sanne", "sanne@example.org", "Stichting Test 1", "leerkracht", "nee", "leiderschap",
                 "klaar", "Ik wil teamleider worden", "normaal", "email", "woensdag"):
        body = _chat(client, text, chat_id, token)
    assert body["expecting"]["slot"] == "confirm"
    body = _chat(client, "bevestig", chat_id, token)
    assert body["done"] and "uiterlijk vrijdag 27 november" in body["messages"][-1]["text"]
    [gesprek] = gesprekken(app)
    assert (gesprek.kanaal, gesprek.coach_id, gesprek.bestuur_id) == ("chat", "c-a", "bestuur-1")
    assert body["loopbaangesprek"]["id"] == gesprek.id
    assert outbox(app, "c-a@example.org")
    # A second confirm does not make a second request.
    _chat(client, "bevestig", chat_id, token)
    assert len(gesprekken(app)) == 1
    turn = client.get(f"/api/v1/loopbaangesprek/chat/{chat_id}/turn", headers={"Authorization": f"Bearer {token}"})
    assert turn.status_code == 200 and turn.json()["done"]


def test_chat_api_refuses_wrong_tokens_and_huge_text(region, client) -> None:
    body = client.post("/api/v1/loopbaangesprek/chat", json={}).json()
    url = f"/api/v1/loopbaangesprek/chat/{body['session_id']}/messages"
    assert client.post(url, json={"text": "ja"}).status_code == 404
    assert client.post(url, json={"text": "ja"}, headers={"Authorization": "Bearer nope"}).status_code == 404
    assert client.post("/api/v1/loopbaangesprek/chat/" + "z" * 500 + "/messages", json={"text": "ja"},
                       headers={"Authorization": f"Bearer {body['token']}"}).status_code == 404
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.post(url, json={"text": "x" * 10_000}, headers=headers).status_code == 413
    assert client.post(url, content=b"{not json", headers={**headers, "content-type": "application/json"}
                       ).status_code == 422
    assert client.post(url, json={"text": "\u202eja\x00"}, headers=headers).status_code == 200


def test_expired_chats_are_deleted_by_the_job(region, client, frozen_clock) -> None:
    from loket.loopbaangesprek import scheduled
    from loket.loopbaangesprek.models import LoopbaangesprekChat

    body = client.post("/api/v1/loopbaangesprek/chat", json={}).json()
    frozen_clock.advance(days=31)
    scheduled.run(region.state.ctx)
    with region.state.ctx.sessions() as db:
        assert db.get(LoopbaangesprekChat, body["session_id"]) is None
