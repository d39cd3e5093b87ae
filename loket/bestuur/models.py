"""Tables of school boards and schools."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


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


class BestuurApiSleutel(Base):
    """An API key of a bestuur, for its own HR or timetable system. Only the hash is kept; the key is shown
    once. A revoked key stops working at once."""

    __tablename__ = "bestuur_api_sleutel"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to recognise a key in a list
    sleutel_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gemaakt_door: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    laatst_gebruikt_at: Mapped[datetime | None]
    ingetrokken_at: Mapped[datetime | None]


class BestuurCallback(Base):
    """The one HTTPS address a bestuur wants every status change of its vragen POSTed to, signed with its
    secret (HMAC-SHA256; the secret is kept to sign, and shown once)."""

    __tablename__ = "bestuur_callback"

    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class ApiIdempotentie(Base):
    """The answer to a POST with an ``Idempotency-Key``: a retry gets the same answer, nothing twice."""

    __tablename__ = "api_idempotentie"
    __table_args__ = (UniqueConstraint("bestuur_id", "sleutel"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id", ondelete="CASCADE"))
    sleutel: Mapped[str] = mapped_column(String(200))
    verzoek_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(default=201)
    antwoord: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
