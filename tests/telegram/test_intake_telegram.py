"""The intake on Telegram: commands, language, resume codes across channels, old buttons, erase, advice."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.telegram import CALLBACK_MAX_BYTES, callback_data, language_from, resolve_callback
from loket.intake.models import IntakeSessie
from loket.telegram.models import TelegramChat
from tests.service.intake_driver import answer_for
from tests.telegram.conftest import TelegramChatDriver


def _texts(sent) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p["text"] for p in sent)


def test_start_makes_a_telegram_session_in_the_apps_language(tg_client, fake) -> None:
    english = TelegramChatDriver(tg_client, fake, chat_id=11, language_code="en-GB")
    sent = english.send("/start")
    assert "Do you agree" in _texts(sent) or "agree" in _texts(sent).lower()
    sessie = english.sessie()
    assert sessie.channel == "telegram" and sessie.language == "en" and sessie.telegram_chat_id == "11"
    assert language_from("nl-BE") == "nl" and language_from(None) == "nl" and language_from("pl") == "en"


def test_start_again_continues_and_opnieuw_restarts(chat) -> None:
    chat.send("/start")
    chat.say("ja")
    chat.say("groepsleerkracht")
    sent = chat.send("/start")
    assert "Je was al bezig" in _texts(sent)
    assert chat.sessie().profile["goal_role"] == "groepsleerkracht"
    sent = chat.send("/opnieuw")
    assert chat.button_data()  # the engine asks to confirm, with yes/no buttons
    chat.say("ja")
    assert "goal_role" not in (chat.sessie().profile or {})


def test_commands_map_to_the_engine(chat, fake) -> None:
    assert "nog niet begonnen" in _texts(chat.send("/wijzig"))
    chat.send("/start")
    chat.say("ja")
    chat.say("groepsleerkracht")
    assert any(d.startswith("edit:") for d in chat.button_data()) is False
    chat.send("/wijzig")
    assert "edit:goal_role" in chat.button_data()
    chat.say("action:back")
    chat.send("/stop")
    assert chat.sessie().state["phase"] == "stopped"
    chat.send("/mens")
    assert chat.sessie().state["phase"] == "handoff_contact"
    sent = chat.send("/onbekend")
    assert "ken ik niet" in _texts(sent) and "/verwijder" in _texts(sent)
    assert "/taal" in _texts(chat.send("/help"))


def test_taal_switches_language_and_keeps_the_answers(chat) -> None:
    chat.send("/start")
    chat.say("ja")
    chat.say("groepsleerkracht")
    chat.send("/taal")
    assert chat.button_data() == ["tg:taal:nl", "tg:taal:en", "tg:taal:ar", "tg:taal:uk", "tg:taal:tr"]
    chat.press("tg:taal:en")
    sessie = chat.sessie()
    assert sessie.language == "en" and sessie.profile["goal_role"] == "groepsleerkracht"
    chat.send("/taal nl")
    assert chat.sessie().language == "nl"


def test_a_web_resume_code_continues_on_telegram_and_back(tg_client, fake, chat) -> None:
    web = tg_client.post("/api/v1/intake", json={"language": "nl"}).json()
    auth = {"Authorization": f"Bearer {web['token']}"}
    turn = tg_client.post(f"/api/v1/intake/{web['session_id']}/messages", json={"text": "ja"}, headers=auth).json()
    turn = tg_client.post(f"/api/v1/intake/{web['session_id']}/messages", json={"text": "groepsleerkracht"},
                          headers=auth).json()
    code = turn["resume_code"]

    sent = chat.send(f"/code {code.lower().replace('-', ' ')}")
    assert "We gaan verder" in _texts(sent)
    assert chat.sessie().id == web["session_id"]
    assert "hbo_bachelor" in chat.button_data()  # the same next question as on the web
    chat.say("hbo_bachelor")
    assert tg_client.get(f"/api/v1/intake/{web['session_id']}", headers=auth).status_code == 404  # moved here

    back = tg_client.post("/api/v1/intake/resume", json={"code": code}).json()
    assert back["session_id"] == web["session_id"]
    assert back["expecting"]["slot"] == "education_field"
    sent = chat.send("psychologie")
    assert "ander apparaat" in _texts(sent)  # this chat let go; nothing was applied here
    with chat.ctx.sessions() as db:
        assert db.get(IntakeSessie, web["session_id"]).profile.get("education_field") is None


def test_start_with_a_deep_link_code_and_unknown_codes(chat) -> None:
    assert "Stuur je code" in _texts(chat.send("/code"))
    assert "ken ik niet" in _texts(chat.send("/code ZZZZ-ZZZZ"))
    assert "ken ik niet" in _texts(chat.send("/start ABCDE-FGHJK"))
    other = TelegramChatDriver(chat.client, chat.fake, chat_id=99)
    other.send("/start")
    other.say("ja")
    code = other.sessie().resume_code
    assert "We gaan verder" in _texts(chat.send(f"/start {code.replace('-', '')}"))


def test_an_old_button_gets_a_graceful_answer_and_is_always_answered(chat, fake) -> None:
    chat.send("/start")
    chat.say("ja")
    old_keyboard = chat.last_keyboard()
    chat.say("groepsleerkracht")
    chat.say("hbo_bachelor")
    from tests.telegram import factories

    before = len(fake.of("answerCallbackQuery"))
    chat._exchange(factories.button_press(chat.chat_id, "vakleerkracht", keyboard=old_keyboard))
    assert len(fake.of("answerCallbackQuery")) == before + 1
    assert chat.sessie().profile["goal_role"] in ("groepsleerkracht", "vakleerkracht")
    # A button of a finished offer or an unknown action: answered with a notice, nothing breaks.
    chat._exchange(factories.button_press(chat.chat_id, "a:unknown:123"))
    assert fake.of("answerCallbackQuery")[-1].get("text")
    hashed = callback_data("x" * 100)
    assert len(hashed.encode()) <= CALLBACK_MAX_BYTES and resolve_callback(hashed, ["x" * 100]) == "x" * 100


def test_a_pressed_button_is_marked_under_its_message(chat, fake) -> None:
    chat.send("/start")
    chat.press("ja")
    edited = fake.of("editMessageText")[-1]
    assert edited["text"].endswith("» Ja, akkoord") and "reply_markup" not in edited


def test_verwijder_erases_the_intake_and_forgets_the_chat(chat, fake) -> None:
    chat.send("/start")
    chat.say("ja")
    chat.say("groepsleerkracht")
    sessie_id = chat.sessie().id
    sent = chat.send("/verwijder")
    assert "gewist" in _texts(sent)
    with chat.ctx.sessions() as db:
        assert db.get(IntakeSessie, sessie_id) is None
        assert db.get(TelegramChat, str(chat.chat_id)) is None
    chat.send("/start")  # a fresh start afterwards
    assert chat.sessie().id != sessie_id


def test_the_whole_intake_ends_with_a_readable_advice(chat, fake) -> None:
    sent = chat.send("/start")
    last_slot = None
    for _ in range(60):
        sessie = chat.sessie()
        if sessie.done:
            break
        from bot.state import IntakeState
        from loket.intake.service import engine_of

        expecting = engine_of(chat.ctx).prompt(IntakeState.model_validate(sessie.state)).expecting
        turn = {"expecting": expecting.model_dump(mode="json") if expecting else None}
        text = answer_for(turn)
        if expecting and expecting.kind == "multi_choice" and expecting.slot == last_slot:
            text = "action:multi_done"
        last_slot = expecting.slot if expecting else None
        sent = chat.say(text)
    assert chat.sessie().done
    texts = _texts(sent)
    assert "Jouw advies" in texts and "Wat kun je nu doen?" in texts
    assert "✅" in texts or "🟡" in texts or "❌" in texts
    assert all(len(p["text"]) <= 4096 for p in fake.of("sendMessage"))
    with chat.ctx.sessions() as db:
        assert db.scalar(select(func.count()).select_from(IntakeSessie)) == 1


def test_a_second_chat_is_a_second_person(tg_client: TestClient, fake) -> None:
    one = TelegramChatDriver(tg_client, fake, chat_id=1)
    two = TelegramChatDriver(tg_client, fake, chat_id=2)
    one.send("/start")
    two.send("/start")
    one.say("ja")
    assert one.sessie().id != two.sessie().id and two.sessie().consent_at is None


def _buttons(sent: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [b for m in sent for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def test_a_ukrainian_app_starts_in_ukrainian_and_every_language_is_offered(chat) -> None:  # type: ignore[no-untyped-def]
    chat.language_code = "uk"
    sent = chat.send("/start")
    buttons = _buttons(sent)
    assert any("Так" in b["text"] for b in buttons), sent  # the consent in Ukrainian
    offered = {b.get("callback_data") for b in buttons}
    assert {"tg:taal:nl", "tg:taal:en", "tg:taal:ar", "tg:taal:tr"} <= offered, offered  # the other four
    sent = chat.send("так")  # the consent typed in Ukrainian
    assert any(re.search(r"[\u0400-\u04ff]", m.get("text", "")) for m in sent), sent
    chat.send("/taal")
    sent = chat.press("tg:taal:ar")
    assert any(re.search(r"[\u0600-\u06ff]", m.get("text", "")) for m in sent), sent
