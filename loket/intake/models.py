"""Tables of the brede intake.

A session's state is the engine's JSON state; every question shown, answered, edited or skipped is an
event (the console charts drop-off per question). Nothing typed before consent is stored anywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class IntakeSessie(Base):
    __tablename__ = "intake_sessie"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(128))
    resume_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    kandidaat_id: Mapped[str | None] = mapped_column(ForeignKey("kandidaat.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    done: Mapped[bool] = mapped_column(default=False)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None]
    blocked: Mapped[bool] = mapped_column(default=False)
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64), index=True)
    message_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    expires_at: Mapped[datetime]


class IntakeEvent(Base):
    """One step of one intake: question_shown, answered, edited, skipped, dont_know, abandoned, done …"""

    __tablename__ = "intake_event"
    __table_args__ = (Index("ix_intake_event_type_slot", "type", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    sessie_id: Mapped[str | None] = mapped_column(ForeignKey("intake_sessie.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    type: Mapped[str] = mapped_column(String(32))
    slot: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    # The structured value only; raw text lives in IntakeBericht with a shorter retention.
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), default=None)


class IntakeBericht(Base):
    """A chat message in or out, kept after consent for the conversation view (short retention)."""

    __tablename__ = "intake_bericht"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    sessie_id: Mapped[str] = mapped_column(ForeignKey("intake_sessie.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    direction: Mapped[str] = mapped_column(String(3))  # "in" from the person, "out" from loket
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(64))  # a staff member replying in the handoff


class VerwerktBericht(Base):
    """A client_message_id already applied to a session, with the answer it got (idempotency)."""

    __tablename__ = "verwerkt_bericht"
    __table_args__ = (UniqueConstraint("sessie_id", "client_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    sessie_id: Mapped[str] = mapped_column(ForeignKey("intake_sessie.id", ondelete="CASCADE"))
    client_message_id: Mapped[str] = mapped_column(String(128))
    response: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=clock.now)


class ContactVerzoek(Base):
    """A person asked to talk to someone of the loket ("ik wil iemand spreken")."""

    __tablename__ = "contact_verzoek"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    sessie_id: Mapped[str | None] = mapped_column(ForeignKey("intake_sessie.id", ondelete="SET NULL"), index=True)
    kandidaat_id: Mapped[str | None] = mapped_column(ForeignKey("kandidaat.id", ondelete="SET NULL"), index=True)
    contact: Mapped[str | None] = mapped_column(String(320))
    contact_kind: Mapped[str | None] = mapped_column(String(16))  # email, telefoon, chat
    voorkeur: Mapped[str | None] = mapped_column(String(200))
    samenvatting: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, in_behandeling, afgerond
    beloofd_voor: Mapped[datetime | None]
    behandeld_door: Mapped[str | None] = mapped_column(ForeignKey("medewerker.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    afgerond_at: Mapped[datetime | None]
