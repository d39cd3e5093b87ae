"""The kandidaat table. Contact details are optional and asked only when needed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id

# The journey of a kandidaat, as the console shows it.
FASEN = ("nieuw", "geinformeerd", "orientatie", "in_opleiding", "aan_het_werk", "uitgestroomd")


class Kandidaat(Base):
    __tablename__ = "kandidaat"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    naam: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    telefoon: Mapped[str | None] = mapped_column(String(64))
    plaats: Mapped[str | None] = mapped_column(String(200))
    fase: Mapped[str] = mapped_column(String(32), default="nieuw")
    volgende_actie_op: Mapped[date | None]
    notities: Mapped[str | None] = mapped_column(Text)
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
