"""The loopbaangesprek tables: the request, each offer of it to a coach, and the chat that can create it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id

# What the teacher did afterwards; the first four keep the teacher in education (retention ambition).
UITKOMSTEN = ("blijft", "andere_school", "andere_sector", "opleiding", "verlaat_onderwijs")
BEHOUDEN = frozenset({"blijft", "andere_school", "andere_sector", "opleiding"})
URGENTIES = ("normaal", "hoog")
# Statuses that still need a coach's or the teacher's action.
OPEN_STATUSES = ("wachtend", "toegewezen", "geaccepteerd", "voorgesteld", "afspraak")


class Loopbaangesprek(Base):
    __tablename__ = "loopbaangesprek"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kandidaat_id: Mapped[str | None] = mapped_column(
        ForeignKey("kandidaat.id", ondelete="SET NULL"), index=True)
    # The teacher's own board: routing never picks a coach of it.
    bestuur_id: Mapped[str | None] = mapped_column(ForeignKey("bestuur.id"), index=True)
    huidige_rol: Mapped[str | None] = mapped_column(String(200))
    wens: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    starter: Mapped[bool] = mapped_column(default=False)
    urgentie: Mapped[str] = mapped_column(String(16), default="normaal")
    contact_voorkeur: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"kanaal": ..., "tijden": ...}
    # wachtend, toegewezen, geaccepteerd, voorgesteld, afspraak, afgerond, geannuleerd
    status: Mapped[str] = mapped_column(String(16), default="wachtend", index=True)
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("coach.id", ondelete="SET NULL"), index=True)
    toelichting: Mapped[dict[str, Any]] = mapped_column(default=dict)  # why this coach was chosen
    sla_deadline: Mapped[datetime | None]
    afspraak_at: Mapped[datetime | None]
    feedback_score: Mapped[int | None]
    feedback_tekst: Mapped[str | None] = mapped_column(Text)
    uitkomst: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # Added for issue 6: who asked, how to reach them, and the path of the request.
    naam: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    telefoon: Mapped[str | None] = mapped_column(String(64))
    kanaal: Mapped[str] = mapped_column(String(16), default="web")  # web, chat, telegram
    taal: Mapped[str] = mapped_column(String(2), default="nl")
    plaats_id: Mapped[str | None] = mapped_column(ForeignKey("plaats.id"))
    beloofd_contact_op: Mapped[date | None]  # the date promised to the teacher
    wachtrij_sinds: Mapped[datetime | None]  # in the coordinator's queue since (None when not waiting)
    toegewezen_at: Mapped[datetime | None]
    voorgestelde_tijden: Mapped[list[Any]] = mapped_column(default=list)  # ISO UTC datetimes
    herinnering_at: Mapped[datetime | None]  # reminder of the appointment sent
    feedback_gevraagd_at: Mapped[datetime | None]
    feedback_at: Mapped[datetime | None]
    afgerond_at: Mapped[datetime | None]


class LoopbaangesprekToewijzing(Base):
    """One offer of a request to a coach, with the routing's explanation and the coach's answer."""

    __tablename__ = "loopbaangesprek_toewijzing"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    loopbaangesprek_id: Mapped[str] = mapped_column(
        ForeignKey("loopbaangesprek.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("coach.id", ondelete="SET NULL"), index=True)
    # aangeboden, geaccepteerd, afgewezen, verlopen (SLA passed), ingetrokken (staff moved it)
    status: Mapped[str] = mapped_column(String(16), default="aangeboden", index=True)
    toelichting: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reden: Mapped[str | None] = mapped_column(Text)
    aangeboden_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    deadline: Mapped[datetime]
    beantwoord_at: Mapped[datetime | None]


class LoopbaangesprekChat(Base):
    """A chat (web or Telegram) that asks the request's questions; its state is the engine's JSON."""

    __tablename__ = "loopbaangesprek_chat"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="web")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    loopbaangesprek_id: Mapped[str | None] = mapped_column(
        ForeignKey("loopbaangesprek.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(index=True)
