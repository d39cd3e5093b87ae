"""Tables of the Telegram channel: received updates, chats and one-time link codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class TelegramUpdate(Base):
    """One update from Telegram, stored before it is processed (so a crash loses nothing).

    The primary key is Telegram's ``update_id``: a retried webhook or a second poll inserts nothing new.
    The payload holds what the person sent; it is cleared once the update is processed.
    """

    __tablename__ = "telegram_update"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # received (waiting), processed, failed (gave up; visible to staff)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    processed_at: Mapped[datetime | None]


class TelegramChat(Base):
    """A private chat with the bot: its language and the intake (or loopbaangesprek chat) it is in.

    In Telegram the chat itself is the proof of who writes, so the chat keeps the hash of its intake's token
    (never the token: a copy of the database gives no access to the API). When the intake is continued
    elsewhere with its resume code, the token changes and this chat lets go.
    """

    __tablename__ = "telegram_chat"

    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    sessie_id: Mapped[str | None] = mapped_column(ForeignKey("intake_sessie.id", ondelete="SET NULL"),
                                                  index=True)
    sessie_token_hash: Mapped[str | None] = mapped_column(String(64))
    # The loopbaangesprek chat this chat is in after /gesprek (same rule: only its token's hash is kept);
    # cleared when that request is done, so the chat goes back to the brede intake.
    gesprek_id: Mapped[str | None] = mapped_column(
        ForeignKey("loopbaangesprek_chat.id", ondelete="SET NULL"), index=True)
    gesprek_token_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class TelegramKoppelcode(Base):
    """A one-time code that links a Telegram chat to an invaller or a coach (only its hash is stored)."""

    __tablename__ = "telegram_koppelcode"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invaller_id: Mapped[str | None] = mapped_column(ForeignKey("invaller.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("coach.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
