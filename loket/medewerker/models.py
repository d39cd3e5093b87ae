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
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_login_at: Mapped[datetime | None]
