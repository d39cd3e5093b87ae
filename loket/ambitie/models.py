"""Tables of the ambitieafspraken: the ambitions with their targets, the actuals per year (computed by loket
or imported), and the staff's explanation per topic and year for the yearly report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id

REGIO = "regio"  # the scope "the whole region" (else a subregio id of knowledge/region.yaml)


class Ambitie(Base):
    """What the region must reach by 2029 on one topic, for the region or one subregio."""

    __tablename__ = "ambitie"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), index=True)  # 1, 2.1, 2.2, 3.1, 3.2, 4.1 … (own codes: 4.x)
    naam: Mapped[str] = mapped_column(String(300))
    eenheid: Mapped[str] = mapped_column(String(16), default="personen")  # personen, %, fte, uur
    richting: Mapped[str] = mapped_column(String(8), default="hoger")  # hoger or lager is better
    scope: Mapped[str] = mapped_column(String(64), default=REGIO)
    nulmeting_waarde: Mapped[float] = mapped_column(default=0.0)
    nulmeting_jaar: Mapped[int] = mapped_column(default=2025)
    nulmeting_bron: Mapped[str] = mapped_column(String(300), default="")
    doelen: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"2026": 110, …, "2029": 160}
    eigenaar: Mapped[str] = mapped_column(String(200), default="")
    activiteiten: Mapped[list[Any]] = mapped_column(default=list)  # links to the activity plan (seed 000)
    indicator: Mapped[str | None] = mapped_column(String(64))  # a computed indicator (knowledge/ambities.yaml)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class AmbitieRealisatie(Base):
    """One actual: a topic's value for a subregio (or the region) in a year, computed or imported."""

    __tablename__ = "ambitie_realisatie"
    __table_args__ = (UniqueConstraint("code", "indicator", "subregio", "jaar", "peildatum", "herkomst"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    indicator: Mapped[str] = mapped_column(String(64), default="")  # "" for an imported figure
    subregio: Mapped[str] = mapped_column(String(64), default=REGIO)
    jaar: Mapped[int]
    waarde: Mapped[float]
    bron: Mapped[str] = mapped_column(String(300), default="")
    peildatum: Mapped[date]
    herkomst: Mapped[str] = mapped_column(String(16), default="import")  # import or berekend
    berekening: Mapped[str] = mapped_column(Text, default="")  # how it was computed (for berekend)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class AmbitieToelichting(Base):
    """The staff's explanation of a topic in a year, printed in the yearly report."""

    __tablename__ = "ambitie_toelichting"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    jaar: Mapped[int] = mapped_column(primary_key=True)
    tekst: Mapped[str] = mapped_column(Text, default="")
    door: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
