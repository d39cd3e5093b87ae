"""Free text from a chat linked to an invaller or a coach (no intake of its own).

Such a chat gets offers with buttons. People answer them in words as well ("ja, ik kom", "nee sorry, ik
kan niet"): with one open offer a clear yes or no is that offer's answer, through the SAME action as the
button (so the invalpool's atomic claim and the coach routing decide); with several open offers, or an
answer that is neither, each open offer is shown again with its buttons. Nothing here is a question that
can be asked again and again: a chat without open offers hears once what it can do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.context import AppContext
from loket.telegram import actions
from loket.telegram.messaging import say

MAX_SHOWN = 5  # open offers shown again at most


@dataclass
class Reply:
    """What the linked chat hears: messages, each with its buttons."""

    messages: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)


def linked_owner(db_session: Session, chat_id: str) -> tuple[Any, Any]:
    """The invaller and the coach linked to this chat (either may be None)."""
    from loket.coach.models import Coach
    from loket.invaller.models import Invaller

    invaller = db_session.scalars(select(Invaller).where(Invaller.telegram_chat_id == chat_id).limit(1)).first()
    coach = db_session.scalars(select(Coach).where(Coach.telegram_chat_id == chat_id).limit(1)).first()
    return invaller, coach


def _open_offers(db_session: Session, invaller: Any, coach: Any, language: str) -> list[tuple[str, str, str]]:
    """(action kind, id, one line) per open offer, newest first."""
    from loket.bestuur.models import School
    from loket.loopbaangesprek.models import LoopbaangesprekToewijzing
    from loket.vervangingsvraag.messaging import describe
    from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag

    found: list[tuple[str, str, str]] = []
    if invaller is not None:
        rows = db_session.execute(
            select(Aanbod, Vervangingsvraag, School)
            .join(Vervangingsvraag, Vervangingsvraag.id == Aanbod.vraag_id)
            .join(School, School.id == Vervangingsvraag.school_id)
            .where(Aanbod.invaller_id == invaller.id, Aanbod.status == "verstuurd",
                   Vervangingsvraag.status.in_(("open", "aangeboden")))
            .order_by(Aanbod.verstuurd_at.desc())
        ).all()
        found += [("aanbod", a.id, describe(v, s, language)) for a, v, s in rows]
    if coach is not None:
        offers = db_session.scalars(
            select(LoopbaangesprekToewijzing)
            .where(LoopbaangesprekToewijzing.coach_id == coach.id, LoopbaangesprekToewijzing.status == "aangeboden")
            .order_by(LoopbaangesprekToewijzing.id.desc())
        ).all()
        found += [("loopbaangesprek", t.id, say("linked_coach_offer", language)) for t in offers]
    return found


def reply(*, ctx: AppContext, db_session: Session, chat_id: str, text: str, language: str,
          invaller: Any, coach: Any) -> Reply:
    """Answer free text of a linked chat: settle its one open offer, or show the open offers again."""
    from loket.intake.service import intake_understanding

    understanding = intake_understanding(ctx)
    answer = understanding.yes_no(text, language)
    offers = _open_offers(db_session, invaller, coach, language)
    out = Reply()
    if answer is not None and len(offers) == 1:
        kind, object_id, _ = offers[0]
        outcome = actions.run(db_session=db_session, ctx=ctx, name=f"{kind}.{'accept' if answer else 'decline'}",
                              object_id=object_id, chat_id=chat_id, language=language)
        out.messages.append((outcome.text or outcome.toast or "", outcome.buttons))
        return out
    if offers:
        key = "linked_choose_one" if len(offers) == 1 else "linked_choose"
        out.messages.append((say(key, language, n=len(offers)), []))
        for kind, object_id, line in offers[:MAX_SHOWN]:
            out.messages.append((line, actions.buttons_for({_PAYLOAD_KEY[kind]: object_id}, language)))
        return out
    out.messages.append((say("linked_no_offers", language), []))
    return out


_PAYLOAD_KEY = {"aanbod": "aanbod_id", "loopbaangesprek": "toewijzing_id"}
