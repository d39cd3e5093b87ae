"""Every periodic job of the service, in one list. A job is a function ``run(ctx)`` of a domain's
``scheduled.py`` that looks in the database for what is due (by ``loket.clock``) and does it, catching
errors per item. Because the work is found in the database, a restart or a second process loses nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    id: str
    func: str  # "module:function", called with the AppContext
    seconds: int  # how often it runs


JOBS: list[Job] = [
    Job("outbox.deliver", "loket.outbox.scheduled:deliver_due", 30),
]
