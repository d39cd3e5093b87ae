"""Periodic jobs of the Telegram channel."""

from __future__ import annotations

import logging

from loket.context import AppContext

log = logging.getLogger("loket.telegram")


def process_due(ctx: AppContext) -> None:
    """Process updates still waiting (after a crash between storing and processing, or a failed try)."""
    from loket.telegram.flows import process_due as run

    run(ctx)


def deliver_due(ctx: AppContext) -> None:
    """Deliver queued Telegram messages when a bot token is configured (RetryAfter pauses are honoured)."""
    from loket.outbox.service import deliver_due as deliver
    from loket.telegram.outbound import ensure_telegram_sender

    if ctx.settings.telegram_token is None:
        return
    ensure_telegram_sender(ctx)
    deliver(ctx)
