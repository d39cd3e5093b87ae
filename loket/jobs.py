"""Every periodic job of the service, in one list. A job is a function ``run(ctx)`` of a domain's
``scheduled.py`` that looks in the database for what is due (by ``loket.clock``) and does it, catching
errors per item. Because the work is found in the database, a restart or a second process loses nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    id: str
    func: str  # "module:function", called with the AppContext
    seconds: int  # how often it runs (ignored when ``cron`` is set)
    cron: str | None = None  # a crontab line in UTC, e.g. "30 2 * * *" for every night at 02:30


JOBS: list[Job] = [
    Job("outbox.deliver", "loket.outbox.scheduled:deliver_due", 30),
    Job("console.opvolging", "loket.console.scheduled:remind_due", 300),
    Job("privacy.purge", "loket.privacy.scheduled:run", 0, cron="30 2 * * *"),
    Job("starters.invite", "loket.starter.scheduled:invite", 300),
    Job("starters.remind", "loket.starter.scheduled:remind", 3600),
    Job("starters.outcomes", "loket.starter.scheduled:ask_outcomes", 0, cron="0 7 * * *"),
    Job("ambities.recompute", "loket.ambitie.scheduled:recompute", 0, cron="15 3 * * *"),
    Job("telegram.updates", "loket.telegram.scheduled:process_due", 60),
    Job("telegram.deliver", "loket.telegram.scheduled:deliver_due", 30),
    Job("invalpool.release", "loket.vervangingsvraag.scheduled:release_due", 60),
    Job("invalpool.remind", "loket.vervangingsvraag.scheduled:remind_unanswered", 300),
    Job("invalpool.escalate", "loket.vervangingsvraag.scheduled:escalate_unfilled", 120),
    Job("invalpool.close", "loket.vervangingsvraag.scheduled:close_past", 3600),
    Job("loopbaangesprek.routing", "loket.loopbaangesprek.scheduled:run", 300),
    Job("loopbaangesprek.herinnering", "loket.loopbaangesprek.scheduled:remind", 900),
]
