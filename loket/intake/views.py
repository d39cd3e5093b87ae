"""The public intake and advice API (``/api/v1``), exactly as ../shared/spec/intake-and-advice-api.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from bot.state import STEPS
from loket.context import AppContext
from loket.db import run_unit, transaction
from loket.errors import LoketError
from loket.intake import service
from loket.ratelimit import limit_ip, limit_session
from loket.text import clean
from matching.advice import Advice
from matching.profile import SLOTS, Profile

router = APIRouter(prefix="/api/v1", tags=["intake"])
# The chat languages (the contract's nl and en, and ar, uk, tr for newcomers; knowledge/languages.yaml).
Language = Literal["nl", "en", "ar", "uk", "tr"]
_bearer = HTTPBearer(auto_error=False)


class IntakeStart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    language: Language | None = None
    channel: Literal["web", "telegram", "api"] | None = None


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="What the person typed, or the value of a pressed button.")
    client_message_id: str | None = Field(default=None, max_length=128)
    # Honeypot: the widget has a hidden field "website" that people never fill in; bots do.
    website: str | None = Field(default=None, description="Leave empty.")


class LanguageIn(BaseModel):
    language: Language


class ResumeIn(BaseModel):
    code: str = Field(min_length=4, max_length=32)


class AdviceIn(BaseModel):
    profile: Profile


_STEP_TEXT = "; ".join(f"`{name}`: {what}" for name, what in STEPS.items())
ExpectingSlot = Literal[tuple(s for s in SLOTS if s not in ("consent", "language")) + tuple(STEPS)]  # type: ignore[valid-type]


class QuickReplyOut(BaseModel):
    value: str = Field(description="Send this as `text` when the button is pressed.")
    label: str


class MessageOut(BaseModel):
    text: str
    quick_replies: list[QuickReplyOut] = []


class ExpectingOut(BaseModel):
    slot: ExpectingSlot = Field(  # type: ignore[valid-type]
        description="The Profile slot the last question asks for, or one of the bot's own steps. " + _STEP_TEXT
    )
    kind: Literal["choice", "multi_choice", "yes_no", "number", "text", "place", "consent"]
    choices: list[QuickReplyOut] = []


class TurnBody(BaseModel):
    """The contract's Turn, plus additive fields."""

    model_config = ConfigDict(extra="allow")

    session_id: str
    token: str | None = Field(default=None, description="Only in the answer that starts the intake.")
    messages: list[MessageOut]
    expecting: ExpectingOut | None = Field(description="Null when nothing is asked (e.g. when done).")
    done: bool
    language: Language | None = None


class SessionOut(BaseModel):
    session_id: str
    done: bool
    profile: Profile
    language: Language


async def _ctx(request: Request) -> AppContext:  # async: a sync dependency would cost a thread hop
    return request.app.state.ctx  # type: ignore[no-any-return]


Ctx = Annotated[AppContext, Depends(_ctx)]
Token = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _token(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return credentials.credentials if credentials else None


def _authorised(db: Session, session_id: str, credentials: HTTPAuthorizationCredentials | None):  # type: ignore[no-untyped-def]
    try:
        return service.authorise(db_session=db, session_id=session_id, token=_token(credentials))
    except service.SessionNotFound:
        # One answer for "no such session" and "not your session": nobody learns which ids exist.
        raise LoketError(404, "session_not_found") from None


class LanguageOut(BaseModel):
    code: Language
    name: str = Field(description="The language's name in itself, e.g. 'العربية'.")
    direction: Literal["ltr", "rtl"]
    reviewed: bool = Field(description="Whether a native speaker has reviewed every text of this language.")


class WidgetTextsOut(BaseModel):
    languages: list[LanguageOut]
    texts: dict[str, dict[str, str]] = Field(description="Per language code: the widget's own words by key.")


@router.get("/widget/texts", summary="The web widget's own words in every language", response_model=WidgetTextsOut,
            tags=["widget"])
async def widget_texts(ctx: Ctx, response: Response) -> dict[str, Any]:
    """The widget's buttons and labels (``knowledge/texts/widget.yaml``) and the chat languages, for the
    language menu. A missing translation is filled with English; the same for everyone, so it is cached."""
    cached = ctx.cache.get("widget_texts")
    if cached is None:
        k = ctx.knowledge
        entries = (k.texts or {}).get("widget", {})
        languages = k.languages.languages if k.languages else []
        cached = {
            "languages": [{"code": lang.code, "name": lang.name, "direction": lang.direction,
                           "reviewed": lang.reviewed} for lang in languages],
            "texts": {lang.code: {key: entry.get(lang.code) for key, entry in entries.items()} for lang in languages},
        }
        ctx.cache["widget_texts"] = cached
    response.headers["Cache-Control"] = "public, max-age=300"
    return cached  # type: ignore[no-any-return]


@router.post("/intake", status_code=201, summary="Start an intake", response_model=TurnBody)
async def start_intake(ctx: Ctx, request: Request, body: IntakeStart | None = None) -> JSONResponse:
    """Start a brede intake. The first question is the privacy consent; the token is returned only here."""
    from loket.i18n import language_of

    limit_ip(request)
    limit_ip(request, "rate_limit_start")
    body = body or IntakeStart()
    language = body.language or language_of(request)
    channel = body.channel or "api"
    turn = await run_unit(ctx.sessions, lambda db: service.start(db_session=db, ctx=ctx, language=language,
                                                                 channel=channel))
    return JSONResponse(turn, status_code=201)


@router.post("/intake/{session_id}/messages", summary="Send a message or a button value",
             response_model=TurnBody)
async def post_message(session_id: str, body: MessageIn, ctx: Ctx, credentials: Token,
                       request: Request) -> JSONResponse:
    """Apply one message (in order, once per client_message_id) and return the next Turn."""
    limit_ip(request)
    limit_session(request, session_id)
    if body.website:
        raise LoketError(400, "invalid_input")
    if len(body.text) > ctx.settings.max_message_chars:
        raise LoketError(413, "too_long", limit=ctx.settings.max_message_chars)
    text = clean(body.text)
    token = _token(credentials)

    def turn_of(db: Session) -> dict[str, Any]:
        return service.handle_message(db_session=db, ctx=ctx, sessie_id=session_id, token=token, text=text,
                                      client_message_id=body.client_message_id)

    try:
        turn = await run_unit(ctx.sessions, turn_of)
    except service.SessionNotFound:
        raise LoketError(404, "session_not_found") from None
    except service.SessionBlocked:
        raise LoketError(403, "blocked") from None
    # The Turn is plain JSON data already: no need for FastAPI to walk and re-encode it (a hot path).
    return JSONResponse(turn)


@router.get("/intake/{session_id}", summary="The session's profile so far", response_model=SessionOut)
def get_intake(session_id: str, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    with transaction(ctx.sessions) as db:
        sessie = _authorised(db, session_id, credentials)
        return {"session_id": sessie.id, "done": sessie.done, "profile": sessie.profile,
                "language": sessie.language}


@router.get("/intake/{session_id}/turn", summary="The current question again (after a reload)", response_model=TurnBody)
def get_turn(session_id: str, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    with transaction(ctx.sessions) as db:
        sessie = _authorised(db, session_id, credentials)
        body = service.prompt(db_session=db, ctx=ctx, sessie=sessie)
        body["history"] = service.history(db_session=db, sessie=sessie)
        return body


@router.post("/intake/{session_id}/language", summary="Switch language, keeping every answer", response_model=TurnBody)
def post_language(session_id: str, body: LanguageIn, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    with transaction(ctx.sessions) as db:
        sessie = _authorised(db, session_id, credentials)
        return service.set_language(db_session=db, ctx=ctx, sessie=sessie, language=body.language)


@router.get("/intake/{session_id}/advice", summary="Advice on what is known so far", response_model=Advice)
def get_session_advice(session_id: str, ctx: Ctx, credentials: Token) -> Advice:
    from loket.advies.service import advice_for

    with transaction(ctx.sessions) as db:
        sessie = _authorised(db, session_id, credentials)
        profile = Profile.model_validate(sessie.profile or {})
        return advice_for(db_session=db, ctx=ctx, profile=profile, language=sessie.language)


@router.get("/intake/{session_id}/export", summary="Everything stored about this intake, as JSON (AVG)")
def export_intake(session_id: str, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    from loket.privacy.service import export_session

    with transaction(ctx.sessions) as db:
        sessie = _authorised(db, session_id, credentials)
        return export_session(db_session=db, sessie=sessie)


@router.delete("/intake/{session_id}", summary="Erase this intake's personal data (AVG)")
def delete_intake(session_id: str, ctx: Ctx, credentials: Token) -> dict[str, Any]:
    with transaction(ctx.sessions) as db:
        sessie = _authorised(db, session_id, credentials)
        return service.erase(db_session=db, sessie=sessie)


@router.post("/intake/resume", summary="Continue an intake with its resume code", response_model=TurnBody)
def resume_intake(body: ResumeIn, ctx: Ctx, request: Request) -> dict[str, Any]:
    # Resume codes are secrets: few tries per address make guessing one hopeless.
    limit_ip(request, "rate_limit_resume")
    with transaction(ctx.sessions) as db:
        turn = service.resume(db_session=db, ctx=ctx, code=body.code)
    if turn is None:
        raise LoketError(404, "session_not_found")
    return turn


@router.post("/advice", summary="Stateless advice for a profile", response_model=Advice)
def post_advice(body: AdviceIn, ctx: Ctx, request: Request, response: Response) -> Advice:
    """Advice for any profile; no session, nothing stored."""
    from loket.advies.service import advice_for
    from loket.i18n import language_of

    limit_ip(request)
    language = body.profile.language or language_of(request)
    response.headers["Cache-Control"] = "no-store"
    with ctx.sessions() as db:  # read-only: vacatures and open vragen
        return advice_for(db_session=db, ctx=ctx, profile=body.profile, language=language)
