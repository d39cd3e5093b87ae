"""Tables of school boards and schools."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base


class Bestuur(Base):
    """A school board. Only participating boards use the shared invalpool."""

    __tablename__ = "bestuur"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200), unique=True)
    regio_id: Mapped[str] = mapped_column(ForeignKey("regio.id"), index=True)
    in_invalpool: Mapped[bool] = mapped_column(default=True)
    # WWZ chain rule: at most this many cover contracts within the period (configurable per board).
    max_ketencontracten: Mapped[int] = mapped_column(default=6)
    ketenperiode_maanden: Mapped[int] = mapped_column(default=36)
    # Dispatch settings per board, e.g. {"tier_delays_minutes": [30, 60, 120]}.
    dispatch: Mapped[dict[str, Any]] = mapped_column(default=dict)


class School(Base):
    __tablename__ = "school"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id"), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    # basisschool, sbo (speciaal basisonderwijs), so (speciaal onderwijs)
    soort: Mapped[str] = mapped_column(String(32), default="basisschool")
    plaats_id: Mapped[str] = mapped_column(ForeignKey("plaats.id"), index=True)
    wijk: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float]
    lon: Mapped[float]
