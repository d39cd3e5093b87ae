"""Periodic work of the console: follow-up reminders to staff members when their date has come."""

from __future__ import annotations

import logging

from sqlalchemy import select

from loket import clock
from loket.console import messaging
from loket.console.models import Opvolging
from loket.context import AppContext
from loket.db import transaction
from loket.kandidaat.models import Kandidaat
from loket.medewerker.models import Medewerker
from loket.outbox.service import queue as queue_message

log = logging.getLogger("loket.console")


def remind_due(ctx: AppContext, *, limit: int = 200) -> int:
    """Queue an e-mail for every planned follow-up that is due; return how many were queued."""
    sent = 0
    with transaction(ctx.sessions) as db:
        due = db.scalars(
            select(Opvolging)
            .where(Opvolging.status == "gepland", Opvolging.due_at <= clock.now())
            .order_by(Opvolging.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)  # two processes never remind twice
        ).all()
        for item in due:
            try:
                with db.begin_nested():
                    if _remind(ctx, db, item):
                        sent += 1
            except Exception:  # noqa: BLE001 - one bad row must not stop the others
                log.exception("follow-up reminder %s failed", item.id)
    return sent


def _remind(ctx: AppContext, db, item: Opvolging) -> bool:  # type: ignore[no-untyped-def]
    from loket.console.kandidaten import display_name

    medewerker = db.get(Medewerker, item.medewerker_id) if item.medewerker_id else None
    kandidaat = db.get(Kandidaat, item.kandidaat_id)
    item.verstuurd_at = clock.now()
    if medewerker is None or not medewerker.actief or kandidaat is None:
        item.status = "vervallen"  # nobody to remind, or nothing to follow up: stop trying
        return False
    subject, body = messaging.reminder_email(
        naam=medewerker.naam,
        kandidaat=display_name(kandidaat),
        datum=item.datum,
        notitie=item.notitie,
        link=f"{ctx.settings.base_url}/console/kandidaten/{kandidaat.id}",
    )
    queue_message(
        db_session=db,
        channel="email",
        recipient=medewerker.email,
        subject=subject,
        body=body,
        payload={"kind": "opvolging", "kandidaat_id": kandidaat.id},
    )
    item.status = "verstuurd"
    return True
