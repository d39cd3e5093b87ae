"""APScheduler in the service: jobs persisted in the database, run by one leader process only.

On PostgreSQL the leader holds an advisory lock on a connection of its own; other processes try again
every half minute, so when the leader dies another takes over. SQLite is single-server by nature.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from loket.context import AppContext
from loket.jobs import JOBS

log = logging.getLogger("loket.scheduler")

LEADER_LOCK_KEY = 73_010_001  # any fixed number; the same in every loket process
JOBSTORE_TABLE = "apscheduler_jobs"

_context: AppContext | None = None


def resolve(path: str) -> Callable[[AppContext], Any]:
    """The function named ``module:function``."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def run_job(job_id: str) -> None:
    """What APScheduler calls (a plain, importable function, so the job store can persist it)."""
    if _context is None:
        log.warning("job %s skipped: no context", job_id)
        return
    job = next((j for j in JOBS if j.id == job_id), None)
    if job is None:
        log.warning("job %s is no longer defined", job_id)
        return
    try:
        resolve(job.func)(_context)
    except Exception:  # noqa: BLE001 - one failing run must not stop the scheduler
        log.exception("job %s failed", job_id)


def run_all_due(ctx: AppContext) -> None:
    """Run every job once, now (used by ``loket scheduler --once`` and tests)."""
    for job in JOBS:
        resolve(job.func)(ctx)


class Leader:
    """Holds the scheduler while this process is the leader."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.scheduler: BackgroundScheduler | None = None
        self._lock_conn: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _try_lead(self) -> bool:
        engine = self.ctx.engine
        if engine.dialect.name != "postgresql":
            return True
        from sqlalchemy import text

        conn = engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LEADER_LOCK_KEY}).scalar()
        conn.commit()
        if got:
            self._lock_conn = conn  # kept open: closing it would release the lock
            return True
        conn.close()
        return False

    def _start_scheduler(self) -> None:
        global _context
        _context = self.ctx
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.ctx.engine, tablename=JOBSTORE_TABLE)},
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )
        for job in JOBS:
            trigger = (CronTrigger.from_crontab(job.cron, timezone=UTC) if job.cron
                       else IntervalTrigger(seconds=job.seconds))
            scheduler.add_job(run_job, trigger, args=[job.id], id=job.id, replace_existing=True)
        scheduler.start()
        self.scheduler = scheduler
        log.info("scheduler started with %d jobs", len(JOBS))

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self._try_lead():
                    self._start_scheduler()
                    return
            except Exception:  # noqa: BLE001 - the database may be down for a while; try again
                log.exception("could not take the scheduler lead")
            self._stop.wait(self.ctx.settings.scheduler_retry_seconds)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="loket-scheduler-leader", daemon=True)
        self._thread.start()

    @property
    def role(self) -> str:
        """"leader" when this process runs the jobs, else "standby"."""
        return "leader" if self.scheduler is not None else "standby"

    def stop(self) -> None:
        self._stop.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        if self._lock_conn is not None:
            self._lock_conn.close()


def start(ctx: AppContext) -> Leader | None:
    """Start leader election and the scheduler when the settings allow it."""
    if not ctx.settings.scheduler:
        return None
    leader = Leader(ctx)
    leader.start()
    return leader
