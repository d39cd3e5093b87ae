"""The follow-up reminder table: a staff member wants to be reminded about a kandidaat on a date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket import clock
from loket.db import Base, new_id


class Opvolging(Base):
    """One follow-up of a kandidaat; the reminder job e-mails the staff member when ``due_at`` passes."""

    __tablename__ = "opvolging"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kandidaat_id: Mapped[str] = mapped_column(ForeignKey("kandidaat.id", ondelete="CASCADE"), index=True)
    medewerker_id: Mapped[str | None] = mapped_column(
        ForeignKey("medewerker.id", ondelete="SET NULL"), index=True
    )
    datum: Mapped[date]
    due_at: Mapped[datetime] = mapped_column(index=True)
    notitie: Mapped[str | None] = mapped_column(Text)
    # gepland (waiting), verstuurd (reminder queued), vervallen (replaced by a newer date or cleared)
    status: Mapped[str] = mapped_column(String(16), default="gepland", index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    verstuurd_at: Mapped[datetime | None]
