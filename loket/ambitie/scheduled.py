"""The monitor's nightly job: compute the actuals that live in loket's own data again."""

from __future__ import annotations

from loket.ambitie import service
from loket.context import AppContext
from loket.db import transaction


def recompute(ctx: AppContext) -> None:
    with transaction(ctx.sessions) as db:
        service.recompute(db_session=db, ctx=ctx)
