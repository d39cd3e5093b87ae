"""Tables of the starters' coaching: the starter (personal data, erasable), and the meetings of the track."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id

# nieuw -> uitgenodigd -> herinnerd -> niet_bereikt, or -> geaccepteerd (a coach) / geweigerd ("nee, dank je")
STATUSES = ("nieuw", "uitgenodigd", "herinnerd", "niet_bereikt", "geaccepteerd", "geweigerd")
OUTCOMES = ("blijft", "andere_school", "andere_sector", "verlaten")
OUTCOME_LABELS = {"blijft": "blijft op de school", "andere_school": "naar een andere school",
                  "andere_sector": "naar een andere sector in het onderwijs", "verlaten": "verlaat het onderwijs"}


class Starter(Base):
    """A starting teacher of a bestuur. Erasure blanks the personal fields and keeps the anonymous counts."""

    __tablename__ = "starter"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    bestuur_id: Mapped[str] = mapped_column(ForeignKey("bestuur.id"), index=True)
    school_id: Mapped[str | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    naam: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    telefoon: Mapped[str | None] = mapped_column(String(64))
    rol: Mapped[str] = mapped_column(String(64), default="leerkracht")
    startdatum: Mapped[date]
    diploma_jaar: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="nieuw", index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    uitgenodigd_at: Mapped[datetime | None]
    herinnerd_at: Mapped[datetime | None]
    geantwoord_at: Mapped[datetime | None]
    gesprek_id: Mapped[str | None] = mapped_column(ForeignKey("loopbaangesprek.id", ondelete="SET NULL"), index=True)
    uitkomst: Mapped[str | None] = mapped_column(String(16))
    uitkomst_at: Mapped[datetime | None]
    uitkomst_gevraagd_at: Mapped[datetime | None]
    vergeten_at: Mapped[datetime | None]  # erased: personal fields are empty
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class StarterAfspraak(Base):
    """One meeting of a starter's coaching track."""

    __tablename__ = "starter_afspraak"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    starter_id: Mapped[str] = mapped_column(ForeignKey("starter.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    gehouden: Mapped[bool] = mapped_column(default=False)
    notitie: Mapped[str] = mapped_column(Text, default="")
