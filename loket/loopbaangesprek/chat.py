"""The loopbaangesprek chat in the database: start, apply a message, and create the request at the end.

The engine is ``bot.loopbaangesprek`` (pure); its flow is ``knowledge/loopbaangesprek/flow.yaml``. The web
API (``/api/v1/loopbaangesprek/chat``) and the Telegram adapter call :func:`start` and :func:`handle`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.loopbaangesprek import ChatState, LoopbaanChat, check_flow
from knowledge import KNOWLEDGE_DIR
from loket import clock
from loket.bestuur.models import Bestuur, School
from loket.context import AppContext
from loket.intake.service import intake_understanding
from loket.loopbaangesprek import flows, messaging, service
from loket.loopbaangesprek.models import LoopbaangesprekChat

FLOW_FILE = Path("loopbaangesprek") / "flow.yaml"


class ChatNotFound(Exception):
    """No chat with this id, or the token does not fit (we do not say which)."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_token(token: str) -> str:
    """The stored form of a chat token (a channel such as Telegram keeps this, never the token)."""
    return _hash(token)


def flow_of(ctx: AppContext) -> dict[str, Any]:
    """The checked flow, read once per process (from the app's knowledge folder, else the packaged one)."""
    if "loopbaangesprek_flow" not in ctx.cache:
        path = Path(ctx.knowledge.directory) / FLOW_FILE
        if not path.exists():
            path = Path(KNOWLEDGE_DIR) / FLOW_FILE
        ctx.cache["loopbaangesprek_flow"] = check_flow(yaml.safe_load(path.read_text(encoding="utf-8")))
    return ctx.cache["loopbaangesprek_flow"]  # type: ignore[no-any-return]


def engine(ctx: AppContext, db_session: Session) -> LoopbaanChat:
    """The chat engine with the current list of besturen."""
    besturen = [(b.id, b.naam) for b in db_session.scalars(select(Bestuur).order_by(Bestuur.naam))]

    def scholen() -> list[tuple[str, str]]:
        return [(naam, bestuur_id) for naam, bestuur_id in db_session.execute(select(School.naam, School.bestuur_id))]

    return LoopbaanChat(flow_of(ctx), besturen, scholen=scholen, understanding=intake_understanding(ctx))


def _body(chat: LoopbaangesprekChat, result: Any, **extra: Any) -> dict[str, Any]:
    data = result.model_dump(mode="json")
    return {
        "session_id": chat.id,
        "flow": "loopbaangesprek",
        "messages": data["messages"],
        "expecting": data["expecting"],
        "done": data["done"],
        "language": chat.language,
        **extra,
    }


def start(*, ctx: AppContext, db_session: Session, language: str, channel: str) -> dict[str, Any]:
    """Create a chat and return its first turn with the token (shown only here)."""
    state, result = engine(ctx, db_session).start(language=language, channel=channel)
    token = secrets.token_urlsafe(32)
    chat = LoopbaangesprekChat(
        token_hash=_hash(token),
        channel=channel[:16],
        language=state.language,
        state=state.model_dump(mode="json"),
        expires_at=clock.now() + timedelta(days=ctx.settings.resume_days),
    )
    db_session.add(chat)
    db_session.flush()
    return _body(chat, result, token=token)


def authorise(
    *, db_session: Session, chat_id: str, token: str | None, token_hash: str | None = None
) -> LoopbaangesprekChat:
    """The chat, locked for this transaction, when ``token`` (or its ``token_hash``) fits; ChatNotFound
    otherwise."""
    chat = (
        db_session.get(LoopbaangesprekChat, chat_id, with_for_update=True) if 0 < len(chat_id) <= 32 else None
    )
    if (
        chat is None
        or not (token or token_hash)
        or not hmac.compare_digest(chat.token_hash, _hash(token) if token else str(token_hash))
        or chat.expires_at < clock.now()
    ):
        raise ChatNotFound(chat_id)
    return chat


def handle(*, ctx: AppContext, db_session: Session, chat: LoopbaangesprekChat, text: str) -> dict[str, Any]:
    """Apply one message; at the end create the request and add the honest expected date."""
    state = ChatState.model_validate(chat.state)
    new_state, result = engine(ctx, db_session).handle(state, text)
    extra: list[dict[str, Any]] = []
    fields: dict[str, Any] = {}
    for effect in result.effects:
        if effect["type"] == "loopbaangesprek" and chat.loopbaangesprek_id is None:
            checked = service.check(db_session=db_session, raw=effect["aanvraag"])
            if checked.aanvraag is None:
                # E.g. the bestuur was removed meanwhile: say what is wrong and ask again from the summary.
                new_state.phase = "summary"
                extra += [{"text": m, "quick_replies": []} for m in checked.errors.values()]
                result.done = False
                continue
            gesprek, day = flows.submit(ctx=ctx, db_session=db_session, aanvraag=checked.aanvraag)
            chat.loopbaangesprek_id = gesprek.id
            extra.append(
                {
                    "text": messaging.promise_text(
                        day, new_state.language, ctx.settings.loopbaangesprek_sla_werkdagen
                    ),
                    "quick_replies": [],
                }
            )
            fields["loopbaangesprek"] = {
                "id": gesprek.id,
                "beloofd_contact_op": day.isoformat() if day else None,
            }
    chat.state = new_state.model_dump(mode="json")
    chat.language = new_state.language
    chat.updated_at = clock.now()
    body = _body(chat, result, **fields)
    body["messages"] = [*body["messages"], *extra]
    return body


def prompt(*, ctx: AppContext, db_session: Session, chat: LoopbaangesprekChat) -> dict[str, Any]:
    """The current question again."""
    result = engine(ctx, db_session).prompt(ChatState.model_validate(chat.state))
    return _body(chat, result)
