"""Tables of the region: regio, subregio, plaats (a municipality or place with coordinates)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base


class Regio(Base):
    __tablename__ = "regio"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))


class Subregio(Base):
    __tablename__ = "subregio"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    regio_id: Mapped[str] = mapped_column(ForeignKey("regio.id"), index=True)
    naam: Mapped[str] = mapped_column(String(200))


class Plaats(Base):
    """A municipality (gemeente) with the coordinates of its centre."""

    __tablename__ = "plaats"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200), unique=True)
    subregio_id: Mapped[str | None] = mapped_column(ForeignKey("subregio.id"), index=True)
    lat: Mapped[float]
    lon: Mapped[float]
    in_regio: Mapped[bool] = mapped_column(default=True)
