"""Long polling stores and processes like the webhook; set-webhook registers the secret; the sender's rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loket.db import transaction
from loket.outbox.models import OutboxBericht
from loket.telegram import polling
from loket.telegram.models import TelegramUpdate
from tests.telegram import factories
from tests.telegram.conftest import SECRET


def test_poll_once_stores_processes_and_moves_the_offset(tg_app, fake) -> None:
    ctx = tg_app.state.ctx
    first = factories.message(7, "/start", update_id=100)
    second = factories.message(7, "ja", update_id=101)
    fake.pending_updates = [first, second]
    offset = polling.poll_once(ctx, None, timeout=0)
    assert offset == 102
    assert len(fake.sent_texts(7)) == 4  # the consent question, then three messages after "ja"
    fake.pending_updates = [second]  # Telegram sends an update again: it is not applied twice
    polling.poll_once(ctx, None, timeout=0)
    assert len(fake.sent_texts(7)) == 4
    with ctx.sessions() as db:
        assert {r.status for r in db.scalars(select(TelegramUpdate))} == {"processed"}


def test_poll_removes_the_webhook_and_stops_when_asked(tg_app, fake) -> None:
    rounds = iter([True, False])
    polling.poll(tg_app.state.ctx, timeout=0, keep_going=lambda: next(rounds), say=lambda _: None)
    names = [name for name, _ in fake.calls]
    assert "deleteWebhook" in names and "getUpdates" in names


def test_set_webhook_registers_the_address_and_secret(tg_app, fake) -> None:
    ctx = tg_app.state.ctx
    with pytest.raises(ValueError, match="https"):
        polling.set_webhook(ctx)  # the test base URL is http://
    address = polling.set_webhook(ctx, "https://loket.example.nl/telegram/webhook")
    params = fake.of("setWebhook")[-1]
    assert params["url"] == address and params["secret_token"] == SECRET
    assert params["allowed_updates"] == ["message", "callback_query"]


def test_set_webhook_needs_a_usable_secret(settings, knowledge, clean_db, fake) -> None:
    from pydantic import SecretStr

    from tests.telegram.conftest import make_app

    app = make_app(settings, knowledge, fake)
    ctx = app.state.ctx
    ctx.settings = ctx.settings.model_copy(update={"telegram_webhook_secret": SecretStr("has spaces!")})
    with pytest.raises(ValueError, match="A-Z"):
        polling.set_webhook(ctx, "https://loket.example.nl/telegram/webhook")
    ctx.settings = ctx.settings.model_copy(update={"telegram_webhook_secret": None})
    with pytest.raises(ValueError, match="LOKET_TELEGRAM_WEBHOOK_SECRET"):
        polling.set_webhook(ctx, "https://loket.example.nl/telegram/webhook")
    app.state.ctx.engine.dispose()


def test_bad_buttons_from_another_domain_fail_visibly_not_silently(tg_app, fake) -> None:
    from loket.outbox.service import queue
    from loket.telegram.scheduled import deliver_due

    ctx = tg_app.state.ctx
    with transaction(ctx.sessions) as db:
        queue(db_session=db, channel="telegram", recipient="5", body="x", payload={"buttons": [{"label": "no value"}]})
    deliver_due(ctx)
    with ctx.sessions() as db:
        message = db.scalars(select(OutboxBericht)).one()
        assert message.status == "failed" and "bad buttons" in message.last_error
    assert fake.of("sendMessage") == []


def test_a_chat_gets_its_messages_in_order_after_a_pause(tg_app, fake, frozen_clock) -> None:
    from loket.outbox.service import queue
    from loket.telegram.scheduled import deliver_due

    ctx = tg_app.state.ctx
    with transaction(ctx.sessions) as db:
        queue(db_session=db, channel="telegram", recipient="5", body="eerste")
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    deliver_due(ctx)
    frozen_clock.advance(seconds=1)
    with transaction(ctx.sessions) as db:
        queue(db_session=db, channel="telegram", recipient="5", body="tweede")
    deliver_due(ctx)
    assert fake.sent_texts(5) == []  # the second waits for the first
    frozen_clock.advance(seconds=40)
    deliver_due(ctx)
    frozen_clock.advance(seconds=40)
    deliver_due(ctx)
    assert fake.sent_texts(5) == ["eerste", "tweede"]


def test_without_a_token_messages_wait_in_the_outbox(settings, knowledge, clean_db) -> None:
    from loket.app import create_app
    from loket.outbox.service import queue
    from loket.telegram.scheduled import deliver_due

    app = create_app(settings, knowledge=knowledge)
    ctx = app.state.ctx
    with transaction(ctx.sessions) as db:
        queue(db_session=db, channel="telegram", recipient="5", body="later")
    deliver_due(ctx)
    with ctx.sessions() as db:
        assert db.scalars(select(OutboxBericht)).one().status == "queued"
    ctx.engine.dispose()
