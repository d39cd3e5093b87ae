"""Reading besturen and their schools, and which bestuur an account acts for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.auth.deps import Forbidden
from loket.auth.policy import STAFF
from loket.bestuur.models import Bestuur, School
from loket.medewerker.models import Medewerker


def get(*, db_session: Session, bestuur_id: str) -> Bestuur | None:
    """The bestuur with this id, or None."""
    return db_session.get(Bestuur, bestuur_id)


def scope_of(account: Medewerker) -> str | None:
    """The bestuur an account acts for: its own for a bestuur account, None (all) for staff."""
    if account.rol in STAFF:
        return None
    if account.rol == "bestuur" and account.bestuur_id:
        return account.bestuur_id
    raise Forbidden()


def schools(*, db_session: Session, bestuur_id: str | None) -> list[School]:
    """Schools of one bestuur (or all), by name."""
    query = select(School)
    if bestuur_id is not None:
        query = query.where(School.bestuur_id == bestuur_id)
    return list(db_session.scalars(query.order_by(School.naam, School.id)))


def participating(*, db_session: Session) -> list[Bestuur]:
    """Besturen that take part in the shared invalpool."""
    return list(db_session.scalars(select(Bestuur).where(Bestuur.in_invalpool.is_(True)).order_by(Bestuur.naam)))
