"""Vacatures and invallers in the console: list, create, edit, and import from a spreadsheet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.schema.region import normalise_name
from loket.audit.service import record
from loket.bestuur.models import School
from loket.console.imports import Known, RowReport, check_invallers, check_vacatures
from loket.invaller.models import Invaller
from loket.medewerker.models import Medewerker
from loket.regio.models import Plaats
from loket.vacature.models import Vacature

KINDS = {"vacatures": (Vacature, check_vacatures), "invallers": (Invaller, check_invallers)}


def known(*, db_session: Session, kind: str) -> Known:
    """What rows of ``kind`` may refer to: schools, existing ids, places of the region."""
    if kind == "vacatures":
        return Known(
            school_ids=frozenset(db_session.scalars(select(School.id)).all()),
            vacature_ids=frozenset(db_session.scalars(select(Vacature.id)).all()),
        )
    plaatsen = {
        normalise_name(naam): (pid, lat, lon)
        for pid, naam, lat, lon in db_session.execute(select(Plaats.id, Plaats.naam, Plaats.lat, Plaats.lon))
    }
    return Known(invaller_ids=frozenset(db_session.scalars(select(Invaller.id)).all()), plaatsen=plaatsen)


def check(*, db_session: Session, kind: str, rows: list[dict[str, Any]]) -> list[RowReport]:
    """A report per row of an upload of ``kind`` (vacatures or invallers)."""
    _model, checker = KINDS[kind]
    return checker(rows, known(db_session=db_session, kind=kind))


def save(
    *,
    db_session: Session,
    kind: str,
    values: dict[str, Any],
    account: Medewerker,
    action: str,
    ip: str | None = None,
) -> Any:
    """Create (no id) or update (an existing id) one vacature or invaller from checked values."""
    model, _checker = KINDS[kind]
    values = dict(values)
    row_id = values.pop("id", None)
    row = db_session.get(model, row_id) if row_id else None
    if row is None:
        row = model(**values)
        db_session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    db_session.flush()
    record(
        db_session=db_session,
        actor=f"medewerker:{account.id}",
        action=f"{kind[:-1]}.{action}",
        object_type=kind[:-1],
        object_id=row.id,
        ip=ip,
    )
    return row


def import_rows(
    *,
    db_session: Session,
    kind: str,
    reports: list[RowReport],
    account: Medewerker,
    only_good: bool,
    ip: str | None = None,
) -> int:
    """Write the good rows; with a bad row and not ``only_good``, write nothing. Return rows written."""
    bad = [r for r in reports if not r.ok]
    if bad and not only_good:
        return 0
    written = 0
    for report in reports:
        if report.ok:
            save(
                db_session=db_session,
                kind=kind,
                values=report.values,
                account=account,
                action="import",
                ip=ip,
            )
            written += 1
    record(
        db_session=db_session,
        actor=f"medewerker:{account.id}",
        action=f"{kind[:-1]}.import_file",
        object_type=kind[:-1],
        detail={"geschreven": written, "fout": len(bad)},
        ip=ip,
    )
    return written


def listing(*, db_session: Session, kind: str, q: str = "", limit: int = 300) -> list[Any]:
    """Vacatures (with their school) or invallers whose title/name contains ``q``."""
    from sqlalchemy import func

    q = q.strip().lower()[:100]
    if kind == "vacatures":
        query = (
            select(Vacature, School.naam)
            .join(School, Vacature.school_id == School.id)
            .order_by(Vacature.status.desc(), Vacature.titel, Vacature.id)
            .limit(limit)
        )
        if q:
            query = query.where(func.lower(Vacature.titel).like(f"%{q}%") | (Vacature.id == q))
        return list(db_session.execute(query).all())
    query = (
        select(Invaller, Plaats.naam)
        .outerjoin(Plaats, Invaller.plaats_id == Plaats.id)
        .order_by(Invaller.naam, Invaller.id)
        .limit(limit)
    )
    if q:
        query = query.where(func.lower(Invaller.naam).like(f"%{q}%") | (Invaller.id == q))
    return list(db_session.execute(query).all())


def as_form(row: Any, kind: str, db_session: Session) -> dict[str, Any]:
    """The stored values of a row in the shape of the import columns (for the edit form)."""
    from loket.console.imports import INVALLER_COLUMNS, VACATURE_COLUMNS

    columns = VACATURE_COLUMNS if kind == "vacatures" else INVALLER_COLUMNS
    out: dict[str, Any] = {}
    for column in columns:
        if column == "plaats":
            plaats = db_session.get(Plaats, row.plaats_id) if row.plaats_id else None
            out[column] = plaats.naam if plaats else ""
            continue
        value = getattr(row, column, None)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "ja" if value else "nee"
        out[column] = "" if value is None else value
    return out
