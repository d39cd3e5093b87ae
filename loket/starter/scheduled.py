"""The starters' periodic jobs: invite new starters, remind once, mark "niet bereikt", ask coaches for
outcomes. Each claims its rows with a conditional UPDATE, so a second process never sends twice."""

from __future__ import annotations

from loket.context import AppContext
from loket.db import transaction
from loket.starter import service


def invite(ctx: AppContext) -> None:
    with transaction(ctx.sessions) as db:
        service.invite_due(ctx=ctx, db_session=db)


def remind(ctx: AppContext) -> None:
    with transaction(ctx.sessions) as db:
        service.remind_due(ctx=ctx, db_session=db)


def ask_outcomes(ctx: AppContext) -> None:
    with transaction(ctx.sessions) as db:
        service.ask_outcomes_due(ctx=ctx, db_session=db)
