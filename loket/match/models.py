"""The match table: what the machine proposed and what a person decided."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class Match(Base):
    __tablename__ = "match"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    soort: Mapped[str] = mapped_column(String(16))  # advies, route, vacature, invaller, coach
    kandidaat_id: Mapped[str | None] = mapped_column(ForeignKey("kandidaat.id", ondelete="CASCADE"), index=True)
    sessie_id: Mapped[str | None] = mapped_column(ForeignKey("intake_sessie.id", ondelete="SET NULL"), index=True)
    onderwerp_id: Mapped[str] = mapped_column(String(64))  # route id, vacature id, invaller id …
    score: Mapped[float] = mapped_column(default=0.0)
    redenen: Mapped[list[Any]] = mapped_column(default=list)
    gegevens: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # voorgesteld, goedgekeurd, afgewezen, overschreven
    status: Mapped[str] = mapped_column(String(16), default="voorgesteld", index=True)
    beoordelaar_id: Mapped[str | None] = mapped_column(ForeignKey("medewerker.id", ondelete="SET NULL"))
    reden: Mapped[str | None] = mapped_column(Text)
    vervangen_door: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    beoordeeld_at: Mapped[datetime | None]
