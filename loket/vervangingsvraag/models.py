"""Tables of cover requests and the offers made for them.

The first accept wins by an atomic conditional update of ``Vervangingsvraag.invaller_id`` (never
check-then-write); see the invalpool issue.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class Vervangingsvraag(Base):
    __tablename__ = "vervangingsvraag"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id"), index=True)
    datum_van: Mapped[date] = mapped_column(index=True)
    datum_tot: Mapped[date]
    dagdelen: Mapped[list[Any]] = mapped_column(default=list)  # e.g. ["ochtend", "middag"]
    groepen: Mapped[list[Any]] = mapped_column(default=list)
    uren: Mapped[float] = mapped_column(default=0.0)
    vereist: Mapped[str] = mapped_column(String(32), default="po_bevoegdheid")
    notities: Mapped[str] = mapped_column(Text, default="")
    urgentie: Mapped[str] = mapped_column(String(16), default="normaal")  # normaal, zelfde_dag
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open, gevuld, geannuleerd, verlopen
    invaller_id: Mapped[str | None] = mapped_column(ForeignKey("invaller.id", ondelete="SET NULL"), index=True)
    genoemde_invaller_id: Mapped[str | None] = mapped_column(ForeignKey("invaller.id", ondelete="SET NULL"))
    huidige_tier: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    gevuld_at: Mapped[datetime | None]


class Aanbod(Base):
    """An offer of one vervangingsvraag to one invaller."""

    __tablename__ = "aanbod"
    __table_args__ = (UniqueConstraint("vraag_id", "invaller_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    vraag_id: Mapped[str] = mapped_column(ForeignKey("vervangingsvraag.id", ondelete="CASCADE"), index=True)
    invaller_id: Mapped[str] = mapped_column(ForeignKey("invaller.id", ondelete="CASCADE"), index=True)
    tier: Mapped[int] = mapped_column(default=0)
    # verstuurd, geaccepteerd, geweigerd, vergeven (taken by someone else), ingetrokken, verlopen
    status: Mapped[str] = mapped_column(String(16), default="verstuurd")
    score: Mapped[float | None]
    redenen: Mapped[list[Any]] = mapped_column(default=list)
    verstuurd_at: Mapped[datetime] = mapped_column(default=clock.now)
    beantwoord_at: Mapped[datetime | None]
