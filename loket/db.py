"""Database engine, sessions and the declarative base shared by every domain package.

SQLite is the embedded default, PostgreSQL the production database; both behave the same here.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

T = TypeVar("T")

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; loket stores UTC-aware timestamps only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


def new_id() -> str:
    """A random public id (uuid4 hex): not guessable, the same type on every database."""
    return uuid.uuid4().hex


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings loket relies on for each database."""
    if url.startswith("sqlite"):
        kwargs.pop("pool_size", None)  # SQLite is a file: no pool to size
        kwargs.pop("max_overflow", None)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    # A database that is down answers within seconds (not a TCP timeout of minutes): turns run on the loop.
    connect_args = {"connect_timeout": 5} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (we return them from services)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# SQLite lets one writer in at a time and makes the others *sleep* in growing steps until the lock is free.
# Within one process we queue writers on a lock instead, which wakes the next one at once; busy_timeout
# still covers a second process on the same file.
_SQLITE_WRITERS: dict[str, threading.RLock] = {}
_SQLITE_WRITERS_GUARD = threading.Lock()


def _writer_lock(bind: Any) -> threading.RLock | None:
    """The queue of writers for a SQLite database (one per file); None for other databases."""
    if bind is None or bind.dialect.name != "sqlite":
        return None
    key = str(bind.url)
    lock = _SQLITE_WRITERS.get(key)
    if lock is None:
        with _SQLITE_WRITERS_GUARD:
            lock = _SQLITE_WRITERS.setdefault(key, threading.RLock())
    return lock


async def run_unit(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction from an async endpoint, on the event loop itself.

    Meant for short units on the chat's hot path (a turn is a few statements and ~1 ms of Python). Handing
    each to the thread pool costs more than the work: thread hand-overs and GIL contention between dozens of
    threads (measured with ``loket bench http``: SQLite 1 worker and PostgreSQL 2 workers gain 1.6x). Units
    of one process run one after the other; a unit that waits on a row lock held by another process waits
    only for that process's short unit. Slow or rare work (pages, imports, console) stays in sync endpoints.
    """
    with transaction(factory) as session:
        return work(session)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    lock = _writer_lock(factory.kw.get("bind"))
    if lock is not None:
        lock.acquire()
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if lock is not None:
            lock.release()
