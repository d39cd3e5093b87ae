"""The loopbaangesprek table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class Loopbaangesprek(Base):
    __tablename__ = "loopbaangesprek"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kandidaat_id: Mapped[str | None] = mapped_column(ForeignKey("kandidaat.id", ondelete="SET NULL"), index=True)
    bestuur_id: Mapped[str | None] = mapped_column(ForeignKey("bestuur.id"), index=True)  # the teacher's own board
    huidige_rol: Mapped[str | None] = mapped_column(String(200))
    wens: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    starter: Mapped[bool] = mapped_column(default=False)
    urgentie: Mapped[str] = mapped_column(String(16), default="normaal")
    contact_voorkeur: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # wachtend, toegewezen, geaccepteerd, afspraak, afgerond, geannuleerd
    status: Mapped[str] = mapped_column(String(16), default="wachtend", index=True)
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("coach.id", ondelete="SET NULL"), index=True)
    toelichting: Mapped[dict[str, Any]] = mapped_column(default=dict)  # why this coach was chosen
    sla_deadline: Mapped[datetime | None]
    afspraak_at: Mapped[datetime | None]
    feedback_score: Mapped[int | None]
    feedback_tekst: Mapped[str | None] = mapped_column(Text)
    uitkomst: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
