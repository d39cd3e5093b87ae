"""The loopbaangesprek chat API (``/api/v1/loopbaangesprek/chat``) for the web widget and other clients."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from loket.context import AppContext
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import language_of
from loket.loopbaangesprek import chat
from loket.text import clean

router = APIRouter(tags=["loopbaangesprek"])


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


Ctx = Annotated[AppContext, Depends(_ctx)]


class ChatStart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    language: Literal["nl", "en"] | None = None
    channel: Literal["web", "telegram", "api"] | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="What the person typed, or the value of a pressed button.")


_bearer = HTTPBearer(auto_error=False)
Token = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _chat(db: Session, chat_id: str, credentials: HTTPAuthorizationCredentials | None) -> Any:
    try:
        return chat.authorise(
            db_session=db, chat_id=chat_id, token=credentials.credentials if credentials else None
        )
    except chat.ChatNotFound:
        raise LoketError(404, "session_not_found") from None


@router.post("/api/v1/loopbaangesprek/chat", status_code=201, summary="Start a loopbaangesprek chat")
def chat_start(ctx: Ctx, request: Request, body: ChatStart | None = None) -> dict[str, Any]:
    """Start the short chat that requests a loopbaangesprek; the token is returned only here."""
    body = body or ChatStart()
    with transaction(ctx.sessions) as db:
        return chat.start(
            ctx=ctx,
            db_session=db,
            language=body.language or language_of(request),
            channel=body.channel or "api",
        )


@router.post("/api/v1/loopbaangesprek/chat/{chat_id}/messages", summary="Send a message or a button value")
def chat_message(chat_id: str, body: ChatMessage, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    """Apply one message and return the next turn; the last one carries the expected contact date."""
    if len(body.text) > ctx.settings.max_message_chars:
        raise LoketError(413, "too_long", limit=ctx.settings.max_message_chars)
    with transaction(ctx.sessions) as db:
        return chat.handle(
            ctx=ctx, db_session=db, chat=_chat(db, chat_id, credentials), text=clean(body.text)
        )


@router.get("/api/v1/loopbaangesprek/chat/{chat_id}/turn", summary="The current question again")
def chat_turn(chat_id: str, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    with transaction(ctx.sessions) as db:
        return chat.prompt(ctx=ctx, db_session=db, chat=_chat(db, chat_id, credentials))
