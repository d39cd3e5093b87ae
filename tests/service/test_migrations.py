"""Migrations from empty give exactly the tables of the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from loket.models import Base


def test_migrated_schema_matches_the_models(db_engine: Engine) -> None:
    tables = set(inspect(db_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with db_engine.connect() as conn:
        # The scheduler's job store keeps its own table (APScheduler creates it): not part of our models.
        context = MigrationContext.configure(conn, opts={
            "include_name": lambda name, type_, parent: not (type_ == "table" and name == "apscheduler_jobs")})
        diff = compare_metadata(context, Base.metadata)
    # Type-affinity noise aside, there must be no missing or extra tables/columns.
    structural = [d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column")]
    assert structural == []


def test_migration_from_empty_on_a_second_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from loket.db import make_engine
    from loket.migrate import is_empty, upgrade
    from tests.conftest import make_test_database

    url, drop = make_test_database(tmp_path)
    engine = make_engine(url)
    try:
        assert is_empty(engine)
        upgrade(engine)
        assert not is_empty(engine)
        upgrade(engine)  # running it again is harmless
    finally:
        engine.dispose()
        drop()
