"""Settings: defaults for a local run, and a wrong setting stops start-up with a sentence naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from loket.settings import SettingsError, load_settings


def test_local_defaults_use_sqlite_in_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    settings = load_settings(data_dir=tmp_path)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path.resolve() / 'loket.sqlite3'}"
    assert settings.env == "development"


def test_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = settings.secret()
    assert len(first) >= 32
    assert load_settings(data_dir=tmp_path).secret() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_variables_with_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LOKET_BASE_URL", "https://loket.example.nl/")
    monkeypatch.setenv("LOKET_REGION_ID", "midden-nederland")
    settings = load_settings(data_dir=tmp_path)
    assert settings.base_url == "https://loket.example.nl"


@pytest.mark.parametrize(
    ("env", "value", "name"),
    [
        ("LOKET_DATABASE_URL", "mysql://x@y/z", "LOKET_DATABASE_URL"),
        ("LOKET_DATABASE_URL", "not a url at all", "LOKET_DATABASE_URL"),
        ("LOKET_BASE_URL", "loket.example.nl", "LOKET_BASE_URL"),
        ("LOKET_SMTP_PORT", "seventy", "LOKET_SMTP_PORT"),
        ("LOKET_ENV", "staging", "LOKET_ENV"),
    ],
)
def test_wrong_setting_names_the_setting(monkeypatch: pytest.MonkeyPatch, env: str, value: str, name: str) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert name in str(info.value)


def test_production_requires_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOKET_ENV", "production")
    monkeypatch.delenv("LOKET_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="LOKET_SECRET_KEY"):
        load_settings()


def test_plain_postgresql_url_uses_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOKET_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/loket")
    assert load_settings().sqlalchemy_url.startswith("postgresql+psycopg://")


def test_cli_stops_with_the_setting_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from loket.cli import app

    monkeypatch.setenv("LOKET_BASE_URL", "ftp://nope")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "LOKET_BASE_URL" in result.output
