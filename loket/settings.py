"""All configuration of the service: one pydantic-settings object, env prefix ``LOKET_``, ``.env`` supported.

The setting names are public: operators and scripts use them. A wrong value stops start-up with a sentence
that names the setting (see :func:`load_settings`).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "LOKET_"


class SettingsError(Exception):
    """A setting is wrong; the message names it and says what is expected."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("data")
    database_url: str | None = None
    # Connections per worker process (PostgreSQL): a steady pool plus a burst; see the README's production start.
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_max_overflow: int = Field(default=20, ge=0, le=500)
    secret_key: SecretStr | None = None
    base_url: str = "http://127.0.0.1:8000"
    region_id: str = "midden-nederland"

    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None

    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "loket@onderwijsregio-midden-nederland.nl"
    smtp_starttls: bool = False

    # Sites allowed to embed the widget and call the public API from a browser.
    allowed_origins: list[str] = []
    # How long an intake can be resumed with its code, in days.
    resume_days: int = Field(default=30, ge=1, le=365)
    # Run the periodic jobs (offers, reminders, mail) in this process; off in tests, which call jobs directly.
    scheduler: bool = True
    # Threads that run request handlers. SQLite has one writer at a time, so more threads only wait (and
    # fight over the GIL); PostgreSQL works on many requests at once. 0 = choose by database.
    threads: int = Field(default=0, ge=0, le=200)
    # How often a standby process tries to take over the scheduler (PostgreSQL advisory lock).
    scheduler_retry_seconds: float = Field(default=30, gt=0, le=3600)
    # How many contact requests ("ik wil iemand spreken") the loket handles per working day.
    handoff_per_day: int = Field(default=8, ge=1, le=1000)
    # Retention per type of data, in days (the consent text promises 30 days of chat text, 12 months of answers).
    retention_chat_days: int = Field(default=30, ge=1, le=3650)
    retention_intake_days: int = Field(default=365, ge=1, le=3650)
    retention_contact_days: int = Field(default=365, ge=1, le=3650)
    retention_outbox_days: int = Field(default=90, ge=1, le=3650)
    retention_starter_days: int = Field(default=4 * 365, ge=30, le=3650)  # after the start date
    # Rate limits on the public endpoints (the `limits` notation: "30/minute", "60 per 10 minutes").
    rate_limit_session: str = "30/minute"
    rate_limit_ip: str = "300/minute"
    rate_limit_start: str = "60 per 10 minutes"
    rate_limit_resume: str = "10/minute"
    rate_limit_api_key: str = "120/minute"  # per bestuur API key
    # Largest chat message accepted, in characters.
    max_message_chars: int = Field(default=4000, ge=100, le=100_000)
    # Working days a coach has to accept or decline a loopbaangesprek before it goes to the next coach.
    loopbaangesprek_sla_werkdagen: int = Field(default=2, ge=1, le=20)

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("rate_limit_session", "rate_limit_ip", "rate_limit_start", "rate_limit_resume",
                     "rate_limit_api_key")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError('is not a rate like "30/minute" or "60 per 10 minutes"') from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL (example: postgresql+psycopg://user@host/db)") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("must be a sqlite:// or postgresql:// URL")
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            # Use psycopg 3, the driver we install, rather than SQLAlchemy's psycopg2 default.
            value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return value

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.env == "production" and self.secret_key is None:
            raise ValueError("LOKET_SECRET_KEY is required when LOKET_ENV=production")
        if self.secret_key is not None and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("LOKET_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL to use: the configured one, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'loket.sqlite3').resolve()}"

    def secret(self) -> str:
        """The secret key; on a local run without one, generate it once and keep it in the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"])
        name = f"{ENV_PREFIX}{field.upper()}" if field else "settings"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"Setting {name} is wrong: {message}.")
    return " ".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment (and ``.env``); raise SettingsError naming a wrong one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings."""
    return load_settings()
