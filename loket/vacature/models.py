"""The vacature table. Field meanings match ``matching.vacatures.Vacature``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class Vacature(Base):
    __tablename__ = "vacature"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    titel: Mapped[str] = mapped_column(String(300))
    rol: Mapped[str] = mapped_column(String(32))  # a goal_role value of the contract
    sector: Mapped[str] = mapped_column(String(8), default="po")
    vak: Mapped[str | None] = mapped_column(String(100))
    uren_per_week: Mapped[float]
    # Required bevoegdheid: po_bevoegdheid, gym_bevoegdheid, vo_bevoegdheid, mbo_bevoegdheid, geen, schoolleider
    vereist: Mapped[str] = mapped_column(String(32), default="po_bevoegdheid")
    zij_instroom_mogelijk: Mapped[bool] = mapped_column(default=False)
    omschrijving: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open, gesloten
    sluit_op: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
