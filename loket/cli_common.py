"""What ``loket`` and ``loket telegram`` commands share: the settings, and migrating the database."""

from __future__ import annotations

import typer

from loket.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(f"loket: {exc}", err=True)
        raise typer.Exit(2) from None


def _migrate(settings: Settings) -> None:
    from loket.db import make_engine
    from loket.migrate import upgrade

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
