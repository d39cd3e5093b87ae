"""Tables of the invalpool members."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class Invaller(Base):
    __tablename__ = "invaller"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kandidaat_id: Mapped[str | None] = mapped_column(ForeignKey("kandidaat.id", ondelete="SET NULL"), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    telefoon: Mapped[str | None] = mapped_column(String(64))
    bevoegdheden: Mapped[list[Any]] = mapped_column(default=list)  # e.g. ["po_bevoegdheid", "gym_bevoegdheid"]
    groepen: Mapped[list[Any]] = mapped_column(default=list)  # e.g. ["1-2", "3-4", "5-6", "7-8"]
    vakken: Mapped[list[Any]] = mapped_column(default=list)
    plaats_id: Mapped[str | None] = mapped_column(ForeignKey("plaats.id"), index=True)
    lat: Mapped[float]
    lon: Mapped[float]
    max_afstand_km: Mapped[float] = mapped_column(default=25.0)
    voorkeur_scholen: Mapped[list[Any]] = mapped_column(default=list)
    tier: Mapped[int] = mapped_column(default=1)  # pool tier: 1 = vaste invallers first
    vog_geldig_tot: Mapped[date | None]
    id_geldig_tot: Mapped[date | None]
    actief: Mapped[bool] = mapped_column(default=True)
    onbeschikbaar_tot: Mapped[date | None]
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class InvallerGoedkeuring(Base):
    """A participating bestuur approves an invaller before its schools see them."""

    __tablename__ = "invaller_goedkeuring"
    __table_args__ = (UniqueConstraint("invaller_id", "bestuur_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    invaller_id: Mapped[str] = mapped_column(ForeignKey("invaller.id", ondelete="CASCADE"), index=True)
    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="goedgekeurd")  # aangevraagd, goedgekeurd, afgewezen
    at: Mapped[datetime] = mapped_column(default=clock.now)


class Beschikbaarheid(Base):
    """An invaller is (or is not) available on a date and day part."""

    __tablename__ = "beschikbaarheid"
    __table_args__ = (UniqueConstraint("invaller_id", "datum", "dagdeel"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    invaller_id: Mapped[str] = mapped_column(ForeignKey("invaller.id", ondelete="CASCADE"), index=True)
    datum: Mapped[date] = mapped_column(index=True)
    dagdeel: Mapped[str] = mapped_column(String(8), default="dag")  # ochtend, middag, dag
    beschikbaar: Mapped[bool] = mapped_column(default=True)


class SchoolVoorkeur(Base):
    """A school's preferred list: these invallers get its vragen first (after a named invaller)."""

    __tablename__ = "school_voorkeur"
    __table_args__ = (UniqueConstraint("school_id", "invaller_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    invaller_id: Mapped[str] = mapped_column(ForeignKey("invaller.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
