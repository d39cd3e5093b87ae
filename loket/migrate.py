"""Database migrations with Alembic, configured from code so they ship inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    """An Alembic Config for ``url``; with ``connection`` the migrations run on it (tests use a schema)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of ``engine`` to ``revision`` (default: the newest)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(engine.url.render_as_string(hide_password=False), connection), revision)


def is_empty(engine: Engine) -> bool:
    """True when the database has none of loket's tables yet."""
    return "intake_sessie" not in inspect(engine).get_table_names()
