"""Long polling for a local run (``loket telegram poll``) and the webhook registration commands.

Polled updates take the same path as webhook updates: stored first (deduplicated by update_id), then
processed; the offset moves past an update only after it is stored, so stopping loses nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter

from loket.context import AppContext
from loket.telegram import flows, service
from loket.telegram.runtime import runtime_of
from loket.telegram.views import WEBHOOK_PATH

log = logging.getLogger("loket.telegram")
ALLOWED_UPDATES = ["message", "callback_query"]


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def poll_once(ctx: AppContext, offset: int | None, *, timeout: int = 25) -> int | None:
    """Fetch one batch of updates, store and process each; return the next offset."""
    runtime = runtime_of(ctx)
    updates = runtime.run(lambda app: app.bot.get_updates(offset=offset, timeout=timeout,
                                                          allowed_updates=ALLOWED_UPDATES),
                          timeout=timeout + 20)
    for update in updates:
        if service.store_update(sessions=ctx.sessions, payload=update.to_dict()):
            flows.process_update(ctx, update.update_id)
        offset = update.update_id + 1
    return offset


def poll(ctx: AppContext, *, timeout: int = 25, keep_going: Callable[[], bool] = lambda: True,
         say: Callable[[str], None] = print) -> None:
    """Poll until ``keep_going()`` is False; the webhook is removed first (Telegram allows one of the two)."""
    from loket.telegram.scheduled import deliver_due

    runtime = runtime_of(ctx)
    me = runtime.run(lambda app: app.bot.get_me())
    runtime.run(lambda app: app.bot.delete_webhook(drop_pending_updates=False))
    say(f"Polling as @{me.username}. Ctrl-C stops.")
    offset: int | None = None
    while keep_going():
        try:
            offset = poll_once(ctx, offset, timeout=timeout)
            flows.process_due(ctx)
            deliver_due(ctx)
        except RetryAfter as exc:
            time.sleep(_seconds(exc.retry_after))
        except NetworkError as exc:
            log.warning("telegram polling: %s; trying again in 5 s", exc)
            time.sleep(5)


def set_webhook(ctx: AppContext, url: str | None = None) -> str:
    """Register the webhook with the secret token; return the address. ValueError on a wrong setup."""
    secret = ctx.settings.telegram_webhook_secret
    if secret is None or not secret.get_secret_value():
        raise ValueError("set LOKET_TELEGRAM_WEBHOOK_SECRET first (1-256 characters: A-Z, a-z, 0-9, _ and -)")
    value = secret.get_secret_value()
    if not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in value) or len(value) > 256:
        raise ValueError("LOKET_TELEGRAM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and - (at most 256)")
    address = url or f"{ctx.settings.base_url}{WEBHOOK_PATH}"
    if not address.startswith("https://"):
        raise ValueError(f"Telegram only calls https:// addresses; got {address} (set LOKET_BASE_URL)")
    runtime_of(ctx).run(lambda app: app.bot.set_webhook(url=address, secret_token=value,
                                                        allowed_updates=ALLOWED_UPDATES, max_connections=10))
    return address


def delete_webhook(ctx: AppContext) -> None:
    """Remove the webhook (pending updates stay at Telegram for polling)."""
    runtime_of(ctx).run(lambda app: app.bot.delete_webhook(drop_pending_updates=False))
