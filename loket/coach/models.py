"""The coach table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id

EXPERTISE_TAGS = (
    "overstap po-vo-mbo",
    "leiderschap",
    "vitaliteit en verzuim",
    "starters en inductie",
    "zij-instroom",
    "specialist",
    "uitstroom",
)


class Coach(Base):
    __tablename__ = "coach"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    naam: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    # A coach never coaches a teacher of their own bestuur.
    bestuur_id: Mapped[str | None] = mapped_column(ForeignKey("bestuur.id"), index=True)
    expertise: Mapped[list[Any]] = mapped_column(default=list)
    subregio_id: Mapped[str | None] = mapped_column(ForeignKey("subregio.id"), index=True)
    capaciteit_per_week: Mapped[int] = mapped_column(default=2)
    beschikbaarheid: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. {"ma": ["09:00-12:00"]}
    afwezig_tot: Mapped[date | None]
    afwezig_vanaf: Mapped[date | None]  # a planned absence starts here (None: absent now, until afwezig_tot)
    actief: Mapped[bool] = mapped_column(default=True)
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
