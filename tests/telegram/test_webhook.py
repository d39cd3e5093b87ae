"""The webhook: secret header, deduplication by update_id, durable processing, restarts, errors."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from loket.intake.models import IntakeSessie
from loket.outbox.models import OutboxBericht
from loket.telegram import flows, service
from loket.telegram.models import TelegramUpdate
from tests.telegram import factories
from tests.telegram.conftest import SECRET, TelegramChatDriver, make_app


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.state.ctx.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_wrong_or_missing_secret_is_refused_and_nothing_is_processed(chat, fake, tg_app) -> None:
    for secret in ("wrong", None, "", SECRET + "x"):
        response = chat.post(factories.message(chat.chat_id, "/start"), secret=secret)
        assert response.status_code == 403
        assert "secret" in response.json()["detail"].lower()
    assert _count(tg_app, TelegramUpdate) == 0
    assert _count(tg_app, IntakeSessie) == 0
    assert fake.of("sendMessage") == []


def test_without_a_configured_secret_the_webhook_accepts_nothing(settings, knowledge, clean_db, fake) -> None:
    from pydantic import SecretStr

    from loket.app import create_app

    app = create_app(settings.model_copy(update={"telegram_token": SecretStr("1:x")}), knowledge=knowledge)
    with TestClient(app) as client:
        response = client.post("/telegram/webhook", json=factories.message(1, "/start"),
                               headers={"X-Telegram-Bot-Api-Secret-Token": ""})
        assert response.status_code == 403
        response = client.post("/telegram/webhook", json=factories.message(1, "/start"),
                               headers={"X-Telegram-Bot-Api-Secret-Token": "anything"})
        assert response.status_code == 403
    app.state.ctx.engine.dispose()


def test_malformed_bodies_get_a_clear_400_and_store_nothing(chat, tg_app) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    for body in (b"not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "12"}', b'{"update_id": true}',
                 b'{"update_id": -1}', "\ud800".encode("utf-8", "surrogatepass")):
        response = chat.client.post("/telegram/webhook", content=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json()["detail"]
    assert _count(tg_app, TelegramUpdate) == 0


def test_the_same_update_id_twice_is_processed_once(chat, fake, tg_app) -> None:
    update = factories.message(chat.chat_id, "/start")
    first = chat.post(update)
    assert first.status_code == 200 and first.json() == {"ok": True, "duplicate": False}
    sent = len(fake.of("sendMessage"))
    assert sent == 1
    again = chat.post(update)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert len(fake.of("sendMessage")) == sent
    assert _count(tg_app, IntakeSessie) == 1
    with tg_app.state.ctx.sessions() as db:
        row = db.get(TelegramUpdate, update["update_id"])
        assert row.status == "processed" and row.payload == {}  # what the person sent is not kept


def test_a_restart_between_two_updates_continues_the_conversation(settings, knowledge, clean_db, fake) -> None:
    from loket.telegram.runtime import close_runtime

    first_app = make_app(settings, knowledge, fake)
    with TestClient(first_app) as client:
        chat = TelegramChatDriver(client, fake)
        chat.send("/start")
        chat.say("ja")
        assert "groepsleerkracht" in chat.button_data()
    close_runtime(first_app.state.ctx)
    first_app.state.ctx.engine.dispose()

    second_app = make_app(settings, knowledge, fake)  # a new process on the same database
    with TestClient(second_app) as client:
        chat = TelegramChatDriver(client, fake)
        chat.say("groepsleerkracht")
        sessie = chat.sessie()
        assert sessie is not None and sessie.profile.get("goal_role") == "groepsleerkracht"
        assert (sessie.state or {}).get("asking") == "education_level"  # po was inferred
    close_runtime(second_app.state.ctx)
    second_app.state.ctx.engine.dispose()


def test_an_update_stored_but_never_processed_is_picked_up_by_the_job(chat, fake, tg_app, frozen_clock) -> None:
    ctx = tg_app.state.ctx
    update = factories.message(chat.chat_id, "/start")
    assert service.store_update(sessions=ctx.sessions, payload=update)  # the process died after storing
    assert fake.of("sendMessage") == []
    from loket.telegram.scheduled import process_due

    process_due(ctx)
    assert len(fake.sent_texts(chat.chat_id)) == 1
    process_due(ctx)  # nothing left: processed once
    assert len(fake.sent_texts(chat.chat_id)) == 1


def test_a_handler_error_is_logged_rolled_back_retried_and_finally_shown(chat, fake, tg_app, frozen_clock,
                                                                         monkeypatch, caplog) -> None:
    ctx = tg_app.state.ctx
    chat.send("/start")
    calls = {"n": 0}
    real = flows.LoketDesk.handle

    def broken(self, event):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(self, event)  # the work is done ... and then lost with the error
        raise RuntimeError("boom in a handler")

    monkeypatch.setattr(flows.LoketDesk, "handle", broken)
    before = len(fake.of("sendMessage"))
    with caplog.at_level(logging.ERROR, logger="loket.telegram"):
        response = chat.post(factories.message(chat.chat_id, "ja", update_id=9_000_001))
    assert response.status_code == 200  # stored: Telegram must not send it again
    assert "boom in a handler" in caplog.text
    assert len(fake.of("sendMessage")) == before  # nothing of the failed work went out
    sessie = chat.sessie()
    assert sessie is not None and sessie.consent_at is None  # rolled back
    with ctx.sessions() as db:
        row = db.get(TelegramUpdate, 9_000_001)
        assert row.status == "received" and row.attempts == 1 and "boom" in row.last_error

    monkeypatch.setattr(flows.LoketDesk, "handle", real)  # fixed: the retry applies it once
    frozen_clock.advance(minutes=2)
    flows.process_due(ctx)
    assert chat.sessie().consent_at is not None
    with ctx.sessions() as db:
        assert db.get(TelegramUpdate, 9_000_001).status == "processed"

    monkeypatch.setattr(flows.LoketDesk, "handle", broken)
    chat.post(factories.message(chat.chat_id, "groepsleerkracht", update_id=9_000_002))
    for _ in range(3):
        frozen_clock.advance(minutes=10)
        flows.process_due(ctx)
    with ctx.sessions() as db:
        row = db.get(TelegramUpdate, 9_000_002)
        assert row.status == "failed" and row.attempts == 3 and row.payload == {}
    assert "Er ging bij ons iets mis" in fake.sent_texts(chat.chat_id)[-1]


def test_updates_from_groups_are_ignored(chat, fake, tg_app) -> None:
    response = chat.post(factories.message(-100123, "/start", chat_type="group"))
    assert response.status_code == 200
    assert fake.of("sendMessage") == [] and _count(tg_app, IntakeSessie) == 0


def test_non_text_and_too_long_messages_get_a_clear_answer(chat, fake, tg_app) -> None:
    chat.post(factories.sticker(chat.chat_id))
    assert "alleen tekst" in fake.sent_texts(chat.chat_id)[-1]
    chat.send("/start")
    chat.send("x" * 5000)
    assert "te lang" in fake.sent_texts(chat.chat_id)[-1]
    chat.send("ja\u202e\u200b 🙂")  # odd Unicode is cleaned, not a crash
    assert chat.sessie().consent_at is not None


def test_retry_after_from_telegram_keeps_the_reply_and_sends_it_later(chat, fake, tg_app, frozen_clock) -> None:
    ctx = tg_app.state.ctx
    chat.send("/start")
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    replies = chat.press("ja")
    assert replies == []  # Telegram asked to wait: nothing arrived yet
    with ctx.sessions() as db:
        message = db.scalars(select(OutboxBericht).where(OutboxBericht.status == "queued")).one()
        assert "retry after" in message.last_error and message.attempts == 0
        assert (message.next_attempt_at - frozen_clock.now()).total_seconds() >= 7
    from loket.telegram.scheduled import deliver_due

    assert len(fake.refused) == 1
    deliver_due(ctx)  # too early: still waiting
    assert len(fake.of("sendMessage")) == 1 and len(fake.refused) == 1
    frozen_clock.advance(seconds=8)
    deliver_due(ctx)
    texts = fake.sent_texts(chat.chat_id)
    assert texts[1].startswith("Fijn") and len(texts) == 4
    with ctx.sessions() as db:
        assert db.scalar(select(func.count()).select_from(OutboxBericht)
                         .where(OutboxBericht.status == "queued")) == 0


def test_a_retry_after_mid_reply_resumes_without_sending_twice(chat, fake, tg_app, frozen_clock) -> None:
    ctx = tg_app.state.ctx
    chat.send("/start")
    fake.calls.clear()
    # The consent reply has three messages; Telegram refuses the second one once.
    original = fake._result
    sent = {"n": 0}

    def flaky(name, params):  # type: ignore[no-untyped-def]
        if name == "sendMessage":
            sent["n"] += 1
            if sent["n"] == 2:
                fake.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
        return original(name, params)

    fake._result = flaky  # type: ignore[method-assign]
    chat.press("ja")
    frozen_clock.advance(seconds=5)
    from loket.telegram.scheduled import deliver_due

    deliver_due(ctx)
    texts = fake.sent_texts(chat.chat_id)
    assert len(texts) == len(set(texts)) == 3
    assert texts[0].startswith("Fijn") and "code" in texts[1]
