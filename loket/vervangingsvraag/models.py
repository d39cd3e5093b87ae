"""Tables of cover requests and the offers made for them.

The first accept wins by an atomic conditional update of ``Vervangingsvraag.invaller_id`` (never
check-then-write); see the invalpool issue.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
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
    # open, gevuld, geannuleerd, verlopen (past, never filled), afgerond (past, filled)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    invaller_id: Mapped[str | None] = mapped_column(ForeignKey("invaller.id", ondelete="SET NULL"), index=True)
    genoemde_invaller_id: Mapped[str | None] = mapped_column(ForeignKey("invaller.id", ondelete="SET NULL"))
    huidige_tier: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    gevuld_at: Mapped[datetime | None]
    # Dispatch state lives here, so a restart (or another process) continues where the last one stopped.
    volgende_release_at: Mapped[datetime | None] = mapped_column(index=True)
    deadline_at: Mapped[datetime | None]  # unfilled at this moment: escalate to the loket
    geescaleerd_at: Mapped[datetime | None]
    gewijzigd_at: Mapped[datetime | None]
    # The API status last sent to the bestuur's callback (loket.bestuur.koppeling): only a change is sent.
    callback_status: Mapped[str | None] = mapped_column(String(16))


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
    herinnerd_at: Mapped[datetime | None]


class InzetDag(Base):
    """One day an invaller is assigned. The unique (invaller_id, datum) makes double booking impossible:
    the claim inserts these rows in the same transaction as the conditional update of the vraag."""

    __tablename__ = "inzet_dag"
    __table_args__ = (UniqueConstraint("invaller_id", "datum"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    invaller_id: Mapped[str] = mapped_column(ForeignKey("invaller.id", ondelete="CASCADE"), index=True)
    vraag_id: Mapped[str] = mapped_column(ForeignKey("vervangingsvraag.id", ondelete="CASCADE"), index=True)
    datum: Mapped[date] = mapped_column(index=True)


# --- the shape of a vraag as besturen send it (web form and API) ----------------------------------------

VEREISTEN = ("po_bevoegdheid", "gym_bevoegdheid", "geen")
URGENTIES = ("normaal", "zelfde_dag")
MAX_DAYS = 30  # one vraag covers at most this many calendar days; a longer absence is a vacature


class VraagIn(BaseModel):
    """A new or changed vervangingsvraag. Dates are school days in the Netherlands."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    school_id: str = Field(min_length=1, max_length=64)
    datum_van: date
    datum_tot: date | None = None
    dagdelen: list[Literal["ochtend", "middag"]] = Field(default_factory=lambda: ["ochtend", "middag"],
                                                        min_length=1, max_length=2)
    groepen: list[Literal["1-2", "3-4", "5-6", "7-8"]] = Field(default_factory=list, max_length=4)
    uren: float = Field(default=0.0, ge=0, le=60)
    vereist: Literal["po_bevoegdheid", "gym_bevoegdheid", "geen"] = "po_bevoegdheid"
    notities: str = Field(default="", max_length=2000)
    urgentie: Literal["normaal", "zelfde_dag"] = "normaal"
    genoemde_invaller_id: str | None = Field(default=None, max_length=32)

    @field_validator("notities")
    @classmethod
    def _printable(cls, value: str) -> str:
        # Keep line breaks and tabs; drop other control characters (they break e-mails and pages).
        return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")

    @field_validator("genoemde_invaller_id")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _dates(self) -> VraagIn:
        if self.datum_tot is None:
            self.datum_tot = self.datum_van
        if self.datum_tot < self.datum_van:
            raise ValueError("datum_tot ligt voor datum_van")
        if (self.datum_tot - self.datum_van).days >= MAX_DAYS:
            raise ValueError(f"een vraag duurt hoogstens {MAX_DAYS} dagen")
        if not any((self.datum_van + timedelta(days=i)).weekday() < 5
                   for i in range((self.datum_tot - self.datum_van).days + 1)):
            raise ValueError("er zit geen schooldag (maandag t/m vrijdag) in deze periode")
        self.dagdelen = sorted(set(self.dagdelen), key=("ochtend", "middag").index)
        self.groepen = sorted(set(self.groepen))
        return self
