"""Queue outbound messages and deliver them with retries; failures stay visible to staff."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import clock
from loket.context import AppContext
from loket.db import transaction
from loket.outbox.models import OutboxBericht

log = logging.getLogger("loket.outbox")

MAX_ATTEMPTS = 8


class RetryLater(Exception):
    """The channel asked to wait (e.g. Telegram's RetryAfter); not counted as a failure of the message."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class PermanentFailure(Exception):
    """The message can never be delivered (e.g. the chat was deleted); no more attempts."""


Sender = Callable[[AppContext, OutboxBericht], None]
SENDERS: dict[str, Sender] = {}


def register_sender(channel: str, sender: Sender) -> None:
    """Make ``sender`` deliver messages of ``channel`` (email, telegram)."""
    SENDERS[channel] = sender


def queue(*, db_session: Session, channel: str, recipient: str, body: str, subject: str | None = None,
          payload: dict[str, Any] | None = None) -> OutboxBericht:
    """Store a message to send; the deliver job sends it."""
    message = OutboxBericht(channel=channel, recipient=recipient[:320], subject=subject, body=body,
                            payload=payload or {}, next_attempt_at=clock.now())
    db_session.add(message)
    db_session.flush()
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def deliver_one(ctx: AppContext, message: OutboxBericht) -> None:
    """Try to send one message and record the outcome on it."""
    sender = SENDERS.get(message.channel)
    if sender is None:
        return  # no sender for this channel in this process (e.g. no SMTP host): it stays queued
    now = clock.now()
    try:
        sender(ctx, message)
    except RetryLater as exc:
        message.next_attempt_at = now + timedelta(seconds=max(exc.seconds, 1))
        message.last_error = str(exc)
        return
    except PermanentFailure as exc:
        message.attempts += 1
        message.status = "failed"
        message.last_error = str(exc)[:2000]
        return
    except Exception as exc:  # noqa: BLE001 - any delivery error is retried later, and shown to staff
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = "failed"
        else:
            message.next_attempt_at = now + _backoff(message.attempts)
        log.warning("delivery of %s via %s failed: %s", message.id, message.channel, message.last_error)
        return
    message.attempts += 1
    message.status = "sent"
    message.sent_at = now
    message.last_error = None


def deliver_due(ctx: AppContext, *, limit: int = 50) -> int:
    """Send the queued messages that are due; return how many were tried."""
    with transaction(ctx.sessions) as db:
        due = db.scalars(
            select(OutboxBericht)
            .where(OutboxBericht.status == "queued", OutboxBericht.next_attempt_at <= clock.now(),
                   OutboxBericht.channel.in_(list(SENDERS) or [""]))
            .order_by(OutboxBericht.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)  # two processes never send the same message
        ).all()
        for message in due:
            deliver_one(ctx, message)
        return len(due)
