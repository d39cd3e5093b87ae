"""The nightly retention purge."""

from __future__ import annotations

import logging

from loket.context import AppContext
from loket.db import transaction
from loket.privacy.service import purge

log = logging.getLogger("loket.privacy")


def run(ctx: AppContext) -> None:
    """Delete what is past its retention (runs every night; harmless when run more often)."""
    with transaction(ctx.sessions) as db:
        counts = purge(db_session=db, settings=ctx.settings)
    log.info("retention purge: %s", counts)
