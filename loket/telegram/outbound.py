"""The outbox sender of the ``telegram`` channel: one stored reply, its messages sent in order.

A reply's messages are in ``payload["parts"]`` (text and buttons each); other domains may queue a single
message with ``payload["buttons"]``. Progress is kept in ``payload["sent_parts"]`` so that a pause asked by
Telegram (RetryAfter) resumes where it stopped instead of sending the first messages twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import object_session
from telegram import LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from bot.telegram import button_rows, keyboard
from loket import clock
from loket.context import AppContext
from loket.outbox.models import OutboxBericht
from loket.outbox.service import PermanentFailure, RetryLater, register_sender
from loket.telegram.runtime import TelegramNotConfigured, runtime_of

log = logging.getLogger("loket.telegram")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def parts_of(message: OutboxBericht) -> list[dict[str, Any]]:
    """The messages to send for one outbox row."""
    from loket.telegram.actions import buttons_for
    from loket.telegram.models import TelegramChat

    payload = message.payload or {}
    if payload.get("parts"):
        return list(payload["parts"])
    buttons = payload.get("buttons")
    if not buttons:
        # Other domains queue an offer with its ids; the Accepteer/Weiger buttons are this channel's part.
        db = object_session(message)
        chat = db.get(TelegramChat, message.recipient) if db is not None else None
        buttons = buttons_for(payload, chat.language if chat is not None else "nl")
    return [{"text": message.body, "buttons": buttons}]


def _earlier_waiting(message: OutboxBericht) -> OutboxBericht | None:
    db = object_session(message)
    if db is None:
        return None
    return db.scalar(select(OutboxBericht).where(
        OutboxBericht.channel == "telegram", OutboxBericht.recipient == message.recipient,
        OutboxBericht.status == "queued", OutboxBericht.created_at < message.created_at,
        OutboxBericht.id != message.id).order_by(OutboxBericht.created_at).limit(1))


def send_telegram(ctx: AppContext, message: OutboxBericht) -> None:
    """Send one outbox row to its chat; RetryLater on Telegram's flood limit, PermanentFailure when the chat
    is gone or the message can never be sent."""
    earlier = _earlier_waiting(message)
    if earlier is not None:
        # A chat reads its messages in order: wait for the earlier one that is still queued.
        wait = (earlier.next_attempt_at - clock.now()).total_seconds()
        raise RetryLater(max(wait, 1.0) + 0.5)
    try:
        runtime = runtime_of(ctx)
    except TelegramNotConfigured as exc:
        raise RetryLater(300) from exc  # keep it queued until a token is configured
    parts = parts_of(message)
    start = int((message.payload or {}).get("sent_parts", 0))
    for index in range(start, len(parts)):
        item = parts[index]
        try:
            markup = keyboard(button_rows(item.get("buttons") or []))
        except ValueError as exc:
            raise PermanentFailure(f"bad buttons: {exc}") from exc
        text = str(item.get("text") or "")[:4096] or "…"
        try:
            runtime.run(lambda app, text=text, markup=markup: app.bot.send_message(
                chat_id=message.recipient, text=text, reply_markup=markup, link_preview_options=_NO_PREVIEW))
        except RetryAfter as exc:
            seconds = exc.retry_after.total_seconds() if isinstance(exc.retry_after, timedelta) \
                else float(exc.retry_after)
            raise RetryLater(seconds) from exc
        except Forbidden as exc:  # the person blocked the bot or deleted the chat
            raise PermanentFailure(f"Telegram refused the chat: {exc.message}") from exc
        except BadRequest as exc:  # e.g. "chat not found": trying again will not help
            raise PermanentFailure(f"Telegram rejected the message: {exc.message}") from exc
        except InvalidToken as exc:
            raise RuntimeError("the bot token is not valid (LOKET_TELEGRAM_TOKEN)") from exc
        message.payload = {**(message.payload or {}), "sent_parts": index + 1}


def ensure_telegram_sender(ctx: AppContext) -> None:
    """Register the Telegram sender when a bot token is configured (else messages wait in the outbox)."""
    token = ctx.settings.telegram_token
    if token is not None and token.get_secret_value():
        register_sender("telegram", send_telegram)


def has_queued(ctx: AppContext, chat_id: str) -> bool:
    """True when the chat still has queued messages (used by tests and the poll loop)."""
    with ctx.sessions() as db:
        return bool(db.scalar(select(exists().where(
            OutboxBericht.channel == "telegram", OutboxBericht.recipient == chat_id,
            OutboxBericht.status == "queued"))))
