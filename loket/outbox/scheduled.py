"""The outbox's periodic job."""

from __future__ import annotations

from loket.bestuur.koppeling import ensure_webhook_sender
from loket.context import AppContext
from loket.mail import ensure_mail_sender
from loket.outbox.service import deliver_due as _deliver


def deliver_due(ctx: AppContext) -> None:
    """Deliver queued messages that are due."""
    ensure_mail_sender(ctx)
    ensure_webhook_sender()
    _deliver(ctx)
