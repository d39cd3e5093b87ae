"""Periodic jobs of loopbaangesprekken: SLA reassignment, routing of the queue, reminders and feedback.

Everything due is found in the database by ``loket.clock``, so a restart or a second process loses and
doubles nothing: each item is locked (``skip_locked``) and checked again inside its own transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, select

from loket import clock
from loket.coach import service as coaches
from loket.context import AppContext
from loket.db import transaction
from loket.loopbaangesprek import flows, messaging, service
from loket.loopbaangesprek.models import Loopbaangesprek, LoopbaangesprekChat, LoopbaangesprekToewijzing
from loket.outbox.service import queue

log = logging.getLogger("loket.loopbaangesprek")
BATCH = 100
# The conversation is taken as held this long after its start; then the teacher is asked for feedback.
HELD_AFTER = timedelta(hours=2)


def expire_overdue(ctx: AppContext) -> int:
    """Offers whose SLA passed go to the next coach (or the queue); return how many."""
    with ctx.sessions() as db:
        ids = list(
            db.scalars(
                select(LoopbaangesprekToewijzing.id)
                .where(
                    LoopbaangesprekToewijzing.status == "aangeboden",
                    LoopbaangesprekToewijzing.deadline <= clock.now(),
                )
                .order_by(LoopbaangesprekToewijzing.deadline)
                .limit(BATCH)
            )
        )
    done = 0
    for offer_id in ids:
        try:
            with transaction(ctx.sessions) as db:
                done += flows.expire(ctx=ctx, db_session=db, toewijzing_id=offer_id)
        except Exception:  # noqa: BLE001 - one bad row must not stop the others
            log.exception("expiring offer %s failed", offer_id)
    return done


def route_waiting(ctx: AppContext) -> int:
    """Route the queue again (capacity frees, absences end, weeks start); return how many found a coach."""
    with ctx.sessions() as db:
        ids = [g.id for g in service.waiting(db_session=db, limit=BATCH)]
    routed = 0
    for gesprek_id in ids:
        try:
            with transaction(ctx.sessions) as db:
                gesprek = db.scalar(
                    select(Loopbaangesprek)
                    .where(Loopbaangesprek.id == gesprek_id)
                    .with_for_update(skip_locked=True)
                )
                if gesprek is None or gesprek.status != "wachtend":
                    continue
                routing = flows.reroute(ctx=ctx, db_session=db, gesprek=gesprek, actor="system")
                routed += not routing.waits
        except Exception:  # noqa: BLE001
            log.exception("routing request %s failed", gesprek_id)
    return routed


def purge_chats(ctx: AppContext) -> int:
    """Delete chats past their expiry: their state holds answers that are personal; return how many."""
    with transaction(ctx.sessions) as db:
        return db.execute(
            delete(LoopbaangesprekChat).where(LoopbaangesprekChat.expires_at < clock.now())
        ).rowcount


def run(ctx: AppContext) -> None:
    """The routing job: reassign overdue offers, route the queue, drop expired chats."""
    expire_overdue(ctx)
    route_waiting(ctx)
    try:
        purge_chats(ctx)
    except Exception:  # noqa: BLE001 - the purge is retried on the next run
        log.exception("purging expired chats failed")


def _remind_one(ctx: AppContext, gesprek_id: str) -> bool:
    with transaction(ctx.sessions) as db:
        gesprek = db.scalar(
            select(Loopbaangesprek).where(Loopbaangesprek.id == gesprek_id).with_for_update(skip_locked=True)
        )
        now = clock.now()
        if (
            gesprek is None
            or gesprek.herinnering_at is not None
            or gesprek.status != "afspraak"
            or gesprek.afspraak_at is None
            or not now < gesprek.afspraak_at <= now + timedelta(days=1)
        ):
            return False
        coach = coaches.get(db_session=db, coach_id=gesprek.coach_id or "")
        coach_name = coach.naam if coach else "je coach"
        for name, other, address, lang in (
            (gesprek.naam, coach_name, gesprek.email, gesprek.taal),
            (coach_name, gesprek.naam, coach.email if coach else None, "nl"),
        ):
            if address:
                subject, body = messaging.reminder(name, other, gesprek.afspraak_at, lang)
                queue(db_session=db, channel="email", recipient=address, subject=subject, body=body)
        gesprek.herinnering_at = now
        return True


def _ask_feedback(ctx: AppContext, gesprek_id: str) -> bool:
    with transaction(ctx.sessions) as db:
        gesprek = db.scalar(
            select(Loopbaangesprek).where(Loopbaangesprek.id == gesprek_id).with_for_update(skip_locked=True)
        )
        now = clock.now()
        if (
            gesprek is None
            or gesprek.feedback_gevraagd_at is not None
            or gesprek.afspraak_at is None
            or gesprek.afspraak_at + HELD_AFTER > now
            or gesprek.status not in ("afspraak", "afgerond")
        ):
            return False
        if gesprek.status == "afspraak":
            gesprek.status, gesprek.afgerond_at = "afgerond", now
        if gesprek.email and gesprek.feedback_at is None:
            address = flows.link(ctx, flows.LINK_FEEDBACK, gesprek.id)
            subject, body = messaging.feedback_request(gesprek, address)
            queue(db_session=db, channel="email", recipient=gesprek.email, subject=subject, body=body)
        gesprek.feedback_gevraagd_at = now
        return True


def remind(ctx: AppContext) -> None:
    """Reminders the day before an appointment; a feedback request once it has been held."""
    now = clock.now()
    with ctx.sessions() as db:
        upcoming = list(
            db.scalars(
                select(Loopbaangesprek.id)
                .where(
                    Loopbaangesprek.status == "afspraak",
                    Loopbaangesprek.herinnering_at.is_(None),
                    Loopbaangesprek.afspraak_at > now,
                    Loopbaangesprek.afspraak_at <= now + timedelta(days=1),
                )
                .limit(BATCH)
            )
        )
        held = list(
            db.scalars(
                select(Loopbaangesprek.id)
                .where(
                    Loopbaangesprek.status.in_(("afspraak", "afgerond")),
                    Loopbaangesprek.feedback_gevraagd_at.is_(None),
                    Loopbaangesprek.afspraak_at <= now - HELD_AFTER,
                )
                .limit(BATCH)
            )
        )
    for job, ids in ((_remind_one, upcoming), (_ask_feedback, held)):
        for gesprek_id in ids:
            try:
                job(ctx, gesprek_id)
            except Exception:  # noqa: BLE001
                log.exception("%s for request %s failed", job.__name__, gesprek_id)
