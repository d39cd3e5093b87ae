"""Intake sessions in the database: start, apply a message in order and once, resume, erase.

The engine (``bot.engine``) is pure; this module gives it its stored state, stores what it returns, and
acts on its effects (consent, handoff, erase, done …). Nothing typed before consent is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
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


_ENGINE_BUILD = threading.Lock()


def engine_of(ctx: AppContext):  # type: ignore[no-untyped-def]
    """The intake engine built from the knowledge base, once per process (the app builds it at start-up;
    the lock keeps concurrent first requests from each building their own lexicon)."""
    engine = ctx.cache.get("intake_engine")
    if engine is not None:
        return engine
    with _ENGINE_BUILD:
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


def _turn_body(sessie: IntakeSessie | _TurnSessie, result: Any, **extra: Any) -> dict[str, Any]:
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


def _store_events(db_session: Session, sessie: IntakeSessie | _TurnSessie, events: list[dict[str, Any]], *,
                  consented: bool) -> None:
    rows = [
        {"sessie_id": sessie.id, "type": str(event.get("type", "unknown"))[:32], "slot": event.get("slot"),
         "source": event.get("source"), "channel": sessie.channel, "language": sessie.language,
         "value": event.get("value") if consented else None, "at": clock.now()}
        for event in events
    ]
    if rows:
        # One executemany instead of an ORM object per event: this is on every turn's path.
        db_session.connection().execute(_INSERT_EVENTS, rows)


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


_SESSIE = IntakeSessie.__table__
_EVENTS = IntakeEvent.__table__
_BERICHTEN = IntakeBericht.__table__
_VERWERKT = VerwerktBericht.__table__
# What a turn needs of its session, read back by the same UPDATE that checks the token and takes the lock.
_TURN_COLUMNS = (_SESSIE.c.id, _SESSIE.c.channel, _SESSIE.c.language, _SESSIE.c.state, _SESSIE.c.blocked,
                 _SESSIE.c.consent_at, _SESSIE.c.resume_code, _SESSIE.c.expires_at)
# The turn's statements, built once (building and keying a statement per turn costs more than running it).
_LOCK_AND_READ = (
    update(_SESSIE)
    .where(_SESSIE.c.id == bindparam("sid"), _SESSIE.c.token_hash == bindparam("expected"),
           _SESSIE.c.expires_at >= bindparam("now"))
    .values(message_count=_SESSIE.c.message_count + 1)
    .returning(*_TURN_COLUMNS)
)
_DONE_BEFORE = select(_VERWERKT.c.response).where(_VERWERKT.c.sessie_id == bindparam("sid"),
                                                  _VERWERKT.c.client_message_id == bindparam("cmid"))
_WRITE_STATE = update(_SESSIE).where(_SESSIE.c.id == bindparam("sid")).values(
    state=bindparam("state"), profile=bindparam("profile"), language=bindparam("language"),
    done=bindparam("done"), updated_at=bindparam("now"))
_INSERT_EVENTS = insert(_EVENTS)
_INSERT_BERICHTEN = insert(_BERICHTEN)
_INSERT_VERWERKT = insert(_VERWERKT)


@dataclass
class _TurnSessie:
    """The columns of a session one turn reads and writes, without the ORM (the hot path)."""

    id: str
    channel: str
    language: str
    state: dict[str, Any]
    blocked: bool
    consent_at: Any
    resume_code: str | None
    expires_at: Any


def _authorise_and_lock(db_session: Session, session_id: str, token: str | None,
                        token_hash: str | None = None) -> _TurnSessie:
    """Check the token, take the session's write lock and read what the turn needs: one statement."""
    expected = _expected_hash(token, token_hash)
    if not expected or len(session_id) > 64:
        raise SessionNotFound(session_id)
    row = db_session.connection().execute(
        _LOCK_AND_READ, {"sid": session_id, "expected": expected, "now": clock.now()}).first()
    if row is None:
        raise SessionNotFound(session_id)
    return _TurnSessie(*row)


def handle_message(*, db_session: Session, ctx: AppContext, sessie_id: str, token: str | None, text: str,
                   client_message_id: str | None, token_hash: str | None = None) -> dict[str, Any]:
    """Apply one message to a session (once per client_message_id) and return the Turn.

    The conditional UPDATE that checks the token also takes the write lock (a row lock on PostgreSQL, the
    database write lock on SQLite): a second message for the same session waits until this one commits,
    in any process, so messages apply one at a time and in order.

    A turn without effects (most of them: an answer and the next question) is written with four plain
    statements (the session, its events, its messages, the client_message_id); a turn with effects
    (consent, advice, handoff, erase, language) loads the session as an ORM object for ``effects.apply``.
    """
    row = _authorise_and_lock(db_session, sessie_id, token, token_hash)
    if row.blocked:
        raise SessionBlocked(sessie_id)
    if client_message_id:
        done_before = db_session.connection().execute(
            _DONE_BEFORE, {"sid": row.id, "cmid": client_message_id}).first()
        if done_before is not None:
            return done_before[0]  # type: ignore[no-any-return]

    engine = engine_of(ctx)
    from bot.engine import IntakeState

    state = IntakeState.model_validate(row.state)
    incoming = _as_shown(engine, state, text)
    new_state, result = engine.handle(state, text, in_place=True)  # state was read for this turn only
    if result.effects:
        sessie = db_session.get(IntakeSessie, row.id)
        assert sessie is not None  # locked above, in this transaction
        body = apply_result(db_session=db_session, ctx=ctx, sessie=sessie, new_state=new_state, result=result,
                            incoming=incoming)
    else:
        body = _apply_plain(db_session, row, new_state, result, incoming)
    if client_message_id and not body.get("erased"):
        db_session.connection().execute(_INSERT_VERWERKT, {"sessie_id": row.id, "client_message_id": client_message_id,
                                                           "response": body, "at": clock.now()})
    return body


def _apply_plain(db_session: Session, row: _TurnSessie, new_state: Any, result: Any,
                 incoming: str | None) -> dict[str, Any]:
    """``apply_result`` for a turn without effects, in plain statements (same rows, same Turn)."""
    consented = row.consent_at is not None
    row.language = getattr(new_state, "language", row.language)
    now = clock.now()
    db_session.connection().execute(_WRITE_STATE, {
        "sid": row.id, "state": new_state.model_dump(mode="json"), "language": row.language,
        "done": bool(result.done), "now": now,
        "profile": new_state.profile().model_dump(mode="json", exclude_none=True) if consented else {},
    })
    _store_events(db_session, row, result.events, consented=consented)
    body = _turn_body(row, result)
    _store_messages(db_session, row.id, incoming if consented else None, body["messages"] if consented else [])
    return body


def _store_messages(db_session: Session, sessie_id: str, incoming: str | None,
                    outgoing: list[dict[str, Any]]) -> None:
    """The conversation as shown (kept only after consent): what came in, then what went out."""
    now = clock.now()
    rows = [{"sessie_id": sessie_id, "direction": "in", "text": incoming, "at": now}] if incoming is not None else []
    rows += [{"sessie_id": sessie_id, "direction": "out", "text": m["text"], "at": now} for m in outgoing]
    if rows:
        db_session.connection().execute(_INSERT_BERICHTEN, rows)


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
        _store_messages(db_session, sessie.id, incoming if was_consented else None, body["messages"])
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
