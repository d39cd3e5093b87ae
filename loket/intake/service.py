"""Intake sessions in the database: start, apply a message in order and once, resume, erase.

The engine (``bot.engine``) is pure; this module gives it its stored state, stores what it returns, and
acts on its effects (consent, handoff, erase, done …). Nothing typed before consent is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from loket import clock
from loket.context import AppContext
from loket.intake import effects
from loket.intake.codes import new_resume_code as new_resume_code  # re-exported: the old import path
from loket.intake.codes import normalise_code
from loket.intake.erasure import erase as erase  # re-exported: views and privacy call service.erase
from loket.intake.models import IntakeBericht, IntakeEvent, IntakeSessie, VerwerktBericht


class SessionNotFound(Exception):
    """No session with this id, or the token does not fit (we do not say which)."""


class SessionBlocked(Exception):
    """Staff stopped this session."""


@dataclass
class TurnOut:
    """What the API returns for one turn (the contract's ``Turn`` plus additive fields)."""

    body: dict[str, Any]


def hash_token(token: str) -> str:
    """The stored form of a session token (a channel adapter may keep this, never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def engine_of(ctx: AppContext):  # type: ignore[no-untyped-def]
    """The intake engine built from the knowledge base, once per process."""
    if "intake_engine" not in ctx.cache:
        from bot.engine import IntakeEngine
        from bot.lexicon import Lexicon

        k = ctx.knowledge
        lexicon = Lexicon.build(k.vocabularies, k.region)
        ctx.cache["lexicon"] = lexicon
        ctx.cache["intake_engine"] = IntakeEngine(k.intake_flow, lexicon, k.vocabularies)
    return ctx.cache["intake_engine"]


def intake_understanding(ctx: AppContext):  # type: ignore[no-untyped-def]
    """The brede intake's reading of free answers (yes/no, "weet ik niet"), shared by the other chats."""
    return engine_of(ctx).understanding


def _expected_hash(token: str | None, token_hash: str | None) -> str | None:
    if token:
        return hash_token(token)
    return token_hash or None


def authorise(*, db_session: Session, session_id: str, token: str | None,
              token_hash: str | None = None) -> IntakeSessie:
    """The session when ``token`` (or, for a channel adapter, its stored ``token_hash``) belongs to it;
    SessionNotFound otherwise (the same answer for "no such session" and "not yours")."""
    sessie = db_session.get(IntakeSessie, session_id) if len(session_id) <= 64 else None
    expected = _expected_hash(token, token_hash)
    if sessie is None or not expected or not hmac.compare_digest(sessie.token_hash, expected):
        raise SessionNotFound(session_id)
    if sessie.expires_at < clock.now():
        raise SessionNotFound(session_id)
    return sessie


def _turn_body(sessie: IntakeSessie, result: Any, **extra: Any) -> dict[str, Any]:
    data = result.model_dump(mode="json")
    body: dict[str, Any] = {
        "session_id": sessie.id,
        "messages": data["messages"],
        "expecting": data["expecting"],
        "done": data["done"],
        "language": sessie.language,
    }
    if sessie.resume_code:
        body["resume_code"] = sessie.resume_code
        body["expires_at"] = sessie.expires_at.isoformat()
    body.update(extra)
    return body


def start(*, db_session: Session, ctx: AppContext, language: str, channel: str) -> dict[str, Any]:
    """Create a session and return the first Turn, with the token (shown only here)."""
    engine = engine_of(ctx)
    state, result = engine.start(language=language, channel=channel)
    token = secrets.token_urlsafe(32)
    sessie = IntakeSessie(
        token_hash=hash_token(token),
        channel=channel,
        language=language,
        state=state.model_dump(mode="json"),
        expires_at=clock.now() + timedelta(days=ctx.settings.resume_days),
    )
    db_session.add(sessie)
    db_session.flush()
    _store_events(db_session, sessie, result.events, consented=False)
    return _turn_body(sessie, result, token=token)


def _consented(sessie: IntakeSessie) -> bool:
    return sessie.consent_at is not None


def _store_events(db_session: Session, sessie: IntakeSessie, events: list[dict[str, Any]], *,
                  consented: bool) -> None:
    rows = [
        {"sessie_id": sessie.id, "type": str(event.get("type", "unknown"))[:32], "slot": event.get("slot"),
         "source": event.get("source"), "channel": sessie.channel, "language": sessie.language,
         "value": event.get("value") if consented else None, "at": clock.now()}
        for event in events
    ]
    if rows:
        # One executemany instead of an ORM object per event: this is on every turn's path.
        db_session.execute(insert(IntakeEvent), rows)


def lock(*, db_session: Session, sessie_id: str) -> None:
    """Take the session's write lock before reading its state, so messages apply one at a time, in order.

    An UPDATE takes a row lock on PostgreSQL and the database write lock on SQLite; a second request for
    the same session waits here until the first commits, in any process.
    """
    db_session.execute(
        update(IntakeSessie).where(IntakeSessie.id == sessie_id)
        .values(message_count=IntakeSessie.message_count + 1)
        .execution_options(synchronize_session=False)
    )


def _authorise_and_lock(db_session: Session, session_id: str, token: str | None,
                        token_hash: str | None = None) -> IntakeSessie:
    """Check the token and take the session's write lock in one statement, then load the session."""
    expected = _expected_hash(token, token_hash)
    if not expected or len(session_id) > 64:
        raise SessionNotFound(session_id)
    locked = db_session.execute(
        update(IntakeSessie)
        .where(IntakeSessie.id == session_id, IntakeSessie.token_hash == expected,
               IntakeSessie.expires_at >= clock.now())
        .values(message_count=IntakeSessie.message_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    sessie = db_session.get(IntakeSessie, session_id, populate_existing=True) if locked else None
    if sessie is None:
        raise SessionNotFound(session_id)
    return sessie


def handle_message(*, db_session: Session, ctx: AppContext, sessie_id: str, token: str | None, text: str,
                   client_message_id: str | None, token_hash: str | None = None) -> dict[str, Any]:
    """Apply one message to a session (once per client_message_id) and return the Turn.

    The conditional UPDATE that checks the token also takes the write lock (a row lock on PostgreSQL, the
    database write lock on SQLite): a second message for the same session waits until this one commits,
    in any process, so messages apply one at a time and in order.
    """
    sessie = _authorise_and_lock(db_session, sessie_id, token, token_hash)
    if sessie.blocked:
        raise SessionBlocked(sessie_id)
    if client_message_id:
        done_before = db_session.scalar(select(VerwerktBericht).where(
            VerwerktBericht.sessie_id == sessie.id, VerwerktBericht.client_message_id == client_message_id))
        if done_before is not None:
            return done_before.response

    engine = engine_of(ctx)
    from bot.engine import IntakeState

    state = IntakeState.model_validate(sessie.state)
    new_state, result = engine.handle(state, text)
    body = apply_result(db_session=db_session, ctx=ctx, sessie=sessie, new_state=new_state, result=result,
                        incoming=_as_shown(engine, state, text))
    if client_message_id and not body.get("erased"):
        db_session.add(VerwerktBericht(sessie_id=sessie.id, client_message_id=client_message_id, response=body))
    return body


def _as_shown(engine: Any, state: Any, text: str) -> str:
    """A pressed button is kept in the history as the label the person saw, not as its value."""
    if text not in state.offered:
        return text
    for message in engine.prompt(state).messages:
        for reply in message.quick_replies:
            if reply.value == text:
                return str(reply.label)
    return text


def apply_result(*, db_session: Session, ctx: AppContext, sessie: IntakeSessie, new_state: Any, result: Any,
                 incoming: str | None) -> dict[str, Any]:
    """Store the engine's new state, events and messages, act on its effects; return the Turn body."""
    was_consented = _consented(sessie)
    extra_messages: list[dict[str, Any]] = []
    lead_messages: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    erased = False
    for effect in result.effects:
        outcome = effects.apply(db_session=db_session, ctx=ctx, sessie=sessie, effect=effect, state=new_state)
        extra_messages.extend(outcome.messages)
        lead_messages.extend(outcome.lead_messages)
        extra.update(outcome.fields)
        erased = erased or outcome.erased
    if erased:
        body = {"session_id": sessie.id, "messages": [*result.model_dump(mode="json")["messages"], *extra_messages],
                "expecting": None, "done": True, "language": sessie.language, "erased": True}
        return body

    consented = _consented(sessie)
    sessie.state = new_state.model_dump(mode="json")
    sessie.language = getattr(new_state, "language", sessie.language)
    sessie.profile = new_state.profile().model_dump(mode="json", exclude_none=True) if consented else {}
    sessie.done = bool(result.done)
    sessie.updated_at = clock.now()
    _store_events(db_session, sessie, result.events, consented=consented)
    body = _turn_body(sessie, result, **extra)
    engine_messages = body["messages"]
    body["messages"] = [*engine_messages[:1], *lead_messages, *engine_messages[1:], *extra_messages]
    if consented:
        now = clock.now()
        rows = [{"sessie_id": sessie.id, "direction": "in", "text": incoming, "at": now}] \
            if incoming is not None and was_consented else []
        rows += [{"sessie_id": sessie.id, "direction": "out", "text": m["text"], "at": now} for m in body["messages"]]
        db_session.execute(insert(IntakeBericht), rows)
    return body


def prompt(*, db_session: Session, ctx: AppContext, sessie: IntakeSessie) -> dict[str, Any]:
    """The current question again (after a reload or on another device)."""
    from bot.engine import IntakeState

    result = engine_of(ctx).prompt(IntakeState.model_validate(sessie.state))
    return _turn_body(sessie, result)


def history(*, db_session: Session, sessie: IntakeSessie, limit: int = 200) -> list[dict[str, Any]]:
    """The stored conversation (after consent), oldest first."""
    rows = db_session.scalars(select(IntakeBericht).where(IntakeBericht.sessie_id == sessie.id)
                              .order_by(IntakeBericht.id.desc()).limit(limit)).all()
    return [{"direction": r.direction, "text": r.text, "at": r.at.isoformat(), "author": r.author}
            for r in reversed(rows)]


def set_language(*, db_session: Session, ctx: AppContext, sessie: IntakeSessie, language: str) -> dict[str, Any]:
    """Switch the session's language, keeping every answer."""
    from bot.engine import IntakeState

    lock(db_session=db_session, sessie_id=sessie.id)
    db_session.refresh(sessie)
    new_state, result = engine_of(ctx).set_language(IntakeState.model_validate(sessie.state), language)
    return apply_result(db_session=db_session, ctx=ctx, sessie=sessie, new_state=new_state, result=result,
                        incoming=None)


def resume(*, db_session: Session, ctx: AppContext, code: str) -> dict[str, Any] | None:
    """Continue a session on another device or channel: a new token and the current question."""
    sessie = db_session.scalar(select(IntakeSessie).where(IntakeSessie.resume_code == normalise_code(code)))
    if sessie is None or sessie.expires_at < clock.now() or sessie.blocked:
        return None
    token = secrets.token_urlsafe(32)
    sessie.token_hash = hash_token(token)
    body = prompt(db_session=db_session, ctx=ctx, sessie=sessie)
    body["token"] = token
    body["history"] = history(db_session=db_session, sessie=sessie)
    return body


def tell(*, db_session: Session, sessie: IntakeSessie | None, text: str, author: str,
         email: str | None = None, subject: str | None = None) -> IntakeBericht | None:
    """A staff member's message to a person: kept in their conversation (the widget shows it on their next
    visit), sent to their Telegram chat when they talk there, and by e-mail when an address is given."""
    from loket.outbox.service import queue

    bericht = None
    if sessie is not None:
        bericht = IntakeBericht(sessie_id=sessie.id, direction="out", text=text, author=author)
        db_session.add(bericht)
        if sessie.channel == "telegram" and sessie.telegram_chat_id:
            queue(db_session=db_session, channel="telegram", recipient=sessie.telegram_chat_id, body=text)
    if email:
        queue(db_session=db_session, channel="email", recipient=email, body=text, subject=subject)
    return bericht
