"""The medewerker (account) table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id

ROLLEN = ("medewerker", "coordinator", "beheerder", "bestuur", "coach")


class Medewerker(Base):
    __tablename__ = "medewerker"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    rol: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    actief: Mapped[bool] = mapped_column(default=True)
    bestuur_id: Mapped[str | None] = mapped_column(ForeignKey("bestuur.id"), index=True)
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("coach.id"), index=True)
    # sha256 of a personal API token (for scripts of a bestuur); None when the account has none.
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_login_at: Mapped[datetime | None]


class LoginPoging(Base):
    """One login attempt; recent failures slow down password guessing (see loket.auth.views)."""

    __tablename__ = "login_poging"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    gelukt: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
