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


def _real_chat(knowledge, besturen=BESTUREN, scholen=None) -> LoopbaanChat:  # type: ignore[no-untyped-def]
    from bot.engine import LexiconUnderstanding
    from bot.lexicon import Lexicon

    understanding = LexiconUnderstanding(Lexicon.build(knowledge.vocabularies, knowledge.region))
    return LoopbaanChat(FLOW, besturen, scholen=scholen, understanding=understanding)


def test_engine_understands_ordinary_answers_and_a_school_for_its_bestuur(knowledge) -> None:
    engine = _real_chat(knowledge, scholen=[("De Regenboog", "bestuur-2"), ("De Regenboog", "bestuur-3"),
                                           ("Het Kompas", "bestuur-2")])
    state, _ = engine.start()
    state, turn = _talk(engine, state, "ja hoor, prima", "Sanne de Vries", "sanne@example.org")
    assert state.asking == "bestuur_id"
    state, turn = _talk(engine, state, "ik werk op het kompas")
    assert state.answers["bestuur_id"] == "bestuur-2", "a school's name finds its bestuur"
    state, turn = _talk(engine, state, "juf in groep 5", "nee hoor", "klaar", "werkdruk", "niet dringend", "bel me")
    assert state.answers["huidige_rol"] == "leerkracht" and state.answers["starter"] is False
    assert state.answers["urgentie"] == "normaal" and state.answers["contact_kanaal"] == "telefoon"


def test_an_unknown_bestuur_always_offers_choices_and_weet_ik_niet_moves_on(knowledge) -> None:
    engine = _real_chat(knowledge)
    state, _ = engine.start()
    state, turn = _talk(engine, state, "ja", "Piet", "piet@example.org", "de school om de hoek")
    assert "kies hieronder" in turn.messages[-1].text
    values = [c.value for c in turn.expecting.choices]
    assert values and "weet_niet" in values and len(values) >= 2, "the text says 'kies hieronder': there are choices"
    state, turn = _talk(engine, state, "geen idee")
    assert state.answers["bestuur_id"] == "" and state.asking == "huidige_rol"
    assert "loket zoekt uit" in turn.messages[0].text


def test_two_misses_move_on_and_no_question_comes_a_third_time(knowledge) -> None:
    engine = _real_chat(knowledge)
    state, _ = engine.start()
    state, turn = _talk(engine, state, "ja", "Piet", "piet@example.org", "bestuur-1", "tja", "pff")
    # The role question was shown twice; the third answer that fits nothing takes "Iets anders".
    assert state.answers["huidige_rol"] == "anders" and state.asking == "starter"
    assert "Dat sla ik over" in turn.messages[0].text


def test_staff_set_an_unknown_bestuur_and_the_request_is_routed(region, client, frozen_clock, knowledge) -> None:
    from tests.accounts import login, make_account

    app = region
    add_coach(app, "c-a", "bestuur-2")
    body = client.post("/api/v1/loopbaangesprek/chat", json={"language": "nl", "channel": "web"}).json()
    chat_id, token = body["session_id"], body["token"]
    for text in ("ja", "Sanne", "sanne@example.org", "weet ik niet", "leerkracht", "nee", "leiderschap",
                 "klaar", "nvt", "normaal", "email", "woensdag"):
        body = _chat(client, text, chat_id, token)
    assert body["expecting"]["slot"] == "confirm"
    body = _chat(client, "ja, klopt", chat_id, token)
    assert body["done"]
    [gesprek] = gesprekken(app)
    assert gesprek.bestuur_id is None and gesprek.coach_id is None, "no coach without a known bestuur"
    _, email, password = make_account(app, "coordinator")
    csrf = login(client, email, password)
    page = client.get("/console/loopbaangesprekken")
    assert "wist het bestuur niet" in page.text
    bad = client.post(f"/console/loopbaangesprekken/{gesprek.id}/bestuur", data={"bestuur_id": "nope",
                                                                                  "csrf_token": csrf})
    assert bad.status_code == 409 and "Kies een bestuur" in bad.text
    done = client.post(f"/console/loopbaangesprekken/{gesprek.id}/bestuur",
                       data={"bestuur_id": "bestuur-1", "csrf_token": csrf})
    assert done.status_code == 200 and "Het bestuur is vastgelegd" in done.text
    [gesprek] = gesprekken(app)
    assert gesprek.bestuur_id == "bestuur-1" and gesprek.coach_id == "c-a"
