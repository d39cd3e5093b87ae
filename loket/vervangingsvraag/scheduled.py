"""Periodic invalpool jobs. Each finds its work in the database by ``loket.clock`` (so a restart or a
second process loses nothing), takes each item in its own transaction with ``FOR UPDATE SKIP LOCKED``
(two processes never do the same item) and logs a failing item without stopping the rest."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.context import AppContext
from loket.db import transaction
from loket.vervangingsvraag import flows, messaging, service
from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag

log = logging.getLogger("loket.invalpool")

BATCH = 100
REMIND_AFTER = timedelta(hours=2)
REMIND_AFTER_SAME_DAY = timedelta(minutes=20)


def _each(ctx: AppContext, ids: list[str], lock: Callable[[Session, str], object | None],
          work: Callable[[Session, object], None], what: str) -> int:
    done = 0
    for item_id in ids:
        try:
            with transaction(ctx.sessions) as db:
                item = lock(db, item_id)
                if item is None:
                    continue  # another process has it, or it is no longer due
                work(db, item)
                done += 1
        except Exception:  # noqa: BLE001 - one bad item must not stop the job
            log.exception("%s failed for %s", what, item_id)
    return done


def _lock_vraag(condition):  # type: ignore[no-untyped-def]
    def lock(db: Session, vraag_id: str) -> Vervangingsvraag | None:
        return db.scalar(select(Vervangingsvraag).where(Vervangingsvraag.id == vraag_id, *condition())
                         .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    return lock


def release_due(ctx: AppContext) -> int:
    """Release the next tier of every open vraag whose delay has expired; return how many vragen."""
    now = clock.now()

    def due():  # type: ignore[no-untyped-def]
        return (Vervangingsvraag.status == "open", Vervangingsvraag.volgende_release_at <= now)

    with ctx.sessions() as db:
        ids = list(db.scalars(select(Vervangingsvraag.id).where(*due())
                              .order_by(Vervangingsvraag.volgende_release_at).limit(BATCH)))
    links = flows.Links.from_settings(ctx.settings)
    def work(db: Session, vraag: Vervangingsvraag) -> None:
        flows.release_next(db_session=db, links=links, vraag=vraag)

    return _each(ctx, ids, _lock_vraag(due), work, "release")  # type: ignore[arg-type]


def remind_unanswered(ctx: AppContext) -> int:
    """Send one reminder for offers still unanswered after 2 hours (20 minutes for same-day vragen)."""
    now = clock.now()
    with ctx.sessions() as db:
        rows = db.execute(
            select(Aanbod.id, Aanbod.verstuurd_at, Vervangingsvraag)
            .join(Vervangingsvraag, Vervangingsvraag.id == Aanbod.vraag_id)
            .where(Aanbod.status == "verstuurd", Aanbod.herinnerd_at.is_(None), Vervangingsvraag.status == "open",
                   Aanbod.verstuurd_at <= now - REMIND_AFTER_SAME_DAY)
            .order_by(Aanbod.verstuurd_at).limit(BATCH * 5)).all()
        ids = []
        for aanbod_id, sent, vraag in rows:
            after = REMIND_AFTER_SAME_DAY if service.is_same_day(vraag, now) else REMIND_AFTER
            if sent <= now - after:
                ids.append(aanbod_id)

    def lock(db: Session, aanbod_id: str) -> Aanbod | None:
        return db.scalar(select(Aanbod).where(Aanbod.id == aanbod_id, Aanbod.status == "verstuurd",
                                              Aanbod.herinnerd_at.is_(None)).with_for_update(skip_locked=True))

    links = flows.Links.from_settings(ctx.settings)
    return _each(ctx, ids, lock, lambda db, a: flows.remind(db_session=db, links=links, aanbod=a),  # type: ignore[arg-type]
                 "reminder")


def escalate_unfilled(ctx: AppContext) -> int:
    """Tell the loket's coordinators about every open vraag past its deadline (once per deadline)."""
    now = clock.now()

    def due():  # type: ignore[no-untyped-def]
        return (Vervangingsvraag.status == "open", Vervangingsvraag.deadline_at <= now,
                Vervangingsvraag.geescaleerd_at.is_(None))

    with ctx.sessions() as db:
        ids = list(db.scalars(select(Vervangingsvraag.id).where(*due()).limit(BATCH)))

    def work(db: Session, vraag: Vervangingsvraag) -> None:
        school = flows._school(db, vraag)
        offers = db.scalar(select(func.count()).select_from(Aanbod).where(Aanbod.vraag_id == vraag.id)) or 0
        link = f"{ctx.settings.base_url}/console/invalpool/planning?datum={vraag.datum_van.isoformat()}"
        messaging.send_to_loket(db_session=db, message=messaging.escalation(vraag, school, offers, link))
        record(db_session=db, actor="system", action="vervangingsvraag.escalate", object_type="vervangingsvraag",
               object_id=vraag.id, detail={"offers": offers})
        vraag.geescaleerd_at = now

    return _each(ctx, ids, _lock_vraag(due), work, "escalation")  # type: ignore[arg-type]


def close_past(ctx: AppContext) -> int:
    """Close vragen whose last day has passed: filled ones become afgerond, open ones verlopen."""
    now = clock.now()
    today = service.local_today(now)

    def due():  # type: ignore[no-untyped-def]
        return (or_(Vervangingsvraag.status == "open", Vervangingsvraag.status == "gevuld"),
                Vervangingsvraag.datum_tot < today)

    with ctx.sessions() as db:
        ids = list(db.scalars(select(Vervangingsvraag.id).where(*due()).limit(BATCH * 5)))

    def work(db: Session, vraag: Vervangingsvraag) -> None:
        if vraag.status == "gevuld":
            vraag.status = "afgerond"
        else:
            vraag.status = "verlopen"
            for aanbod in service.offers(db_session=db, vraag_id=vraag.id):
                if aanbod.status in ("verstuurd", "wachtlijst", "vergeven"):
                    aanbod.status = "verlopen"
        vraag.volgende_release_at = None
        from loket.bestuur.koppeling import vraag_changed

        vraag_changed(db_session=db, vraag=vraag)

    return _each(ctx, ids, _lock_vraag(due), work, "close")  # type: ignore[arg-type]
