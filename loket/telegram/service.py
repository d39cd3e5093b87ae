"""Telegram rows in the database: received updates, chats, link codes, and the outbox messages of a chat."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from loket import clock
from loket.coach.models import Coach
from loket.invaller.models import Invaller
from loket.outbox import service as outbox
from loket.outbox.models import OutboxBericht
from loket.telegram.models import TelegramChat, TelegramKoppelcode, TelegramUpdate

# An update that keeps failing is given up after this many tries (then staff see it).
MAX_UPDATE_ATTEMPTS = 3
KOPPELCODE_MINUTES = 30
# Like resume codes, without 0/O and 1/I/L; ten characters, so a link code never looks like a resume code.
_KOPPEL_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
KOPPELCODE_LENGTH = 10


# ----------------------------------------------------------------------------- updates


def store_update(*, sessions: sessionmaker[Session], payload: dict[str, Any]) -> bool:
    """Store a received update in its own transaction; False when this update_id was stored before."""
    update_id = int(payload["update_id"])
    db = sessions()
    try:
        if db.get(TelegramUpdate, update_id) is not None:
            return False
        db.add(TelegramUpdate(update_id=update_id, payload=payload, next_attempt_at=clock.now()))
        db.commit()
        return True
    except IntegrityError:  # the same update arrived twice at the same moment
        db.rollback()
        return False
    finally:
        db.close()


def claim_update(*, db_session: Session, update_id: int) -> TelegramUpdate | None:
    """Take a waiting update for this transaction (a row lock until commit); None when it is not waiting.

    The conditional UPDATE is the claim: a second process blocks on it and then finds nothing to do.
    """
    claimed = db_session.execute(
        update(TelegramUpdate)
        .where(TelegramUpdate.update_id == update_id, TelegramUpdate.status == "received")
        .values(attempts=TelegramUpdate.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return None
    row = db_session.get(TelegramUpdate, update_id)
    if row is not None:
        db_session.refresh(row)
    return row


def mark_processed(*, db_session: Session, row: TelegramUpdate) -> None:
    """Done: keep only the id (for deduplication), not what the person sent."""
    row.status = "processed"
    row.processed_at = clock.now()
    row.payload = {}
    row.last_error = None


def record_failure(*, db_session: Session, update_id: int, error: str) -> TelegramUpdate | None:
    """Note a failed try; retry later with a growing pause, or give up after MAX_UPDATE_ATTEMPTS."""
    row = db_session.get(TelegramUpdate, update_id)
    if row is None or row.status != "received":
        return row
    row.attempts += 1  # the claim's increment was rolled back with the failed work
    row.last_error = error[:2000]
    if row.attempts >= MAX_UPDATE_ATTEMPTS:
        row.status = "failed"
    else:
        row.next_attempt_at = clock.now() + timedelta(seconds=30 * 2 ** (row.attempts - 1))
    return row


def due_updates(*, db_session: Session, limit: int = 100) -> list[int]:
    """Waiting updates whose turn it is, oldest first."""
    return list(db_session.scalars(
        select(TelegramUpdate.update_id)
        .where(TelegramUpdate.status == "received", TelegramUpdate.next_attempt_at <= clock.now())
        .order_by(TelegramUpdate.update_id).limit(limit)
    ))


def failed_updates(*, db_session: Session, limit: int = 100) -> list[TelegramUpdate]:
    """Updates given up on, newest first (for staff)."""
    return list(db_session.scalars(
        select(TelegramUpdate).where(TelegramUpdate.status == "failed")
        .order_by(TelegramUpdate.received_at.desc()).limit(limit)))


def chat_of_payload(payload: dict[str, Any]) -> str | None:
    """The private chat an update (as JSON) came from, if any."""
    for key in ("message", "edited_message", "callback_query"):
        item = payload.get(key)
        if isinstance(item, dict):
            message = item.get("message") if key == "callback_query" else item
            chat = (message or {}).get("chat") or {}
            if chat.get("type") == "private" and chat.get("id") is not None:
                return str(chat["id"])
    return None


# ----------------------------------------------------------------------------- chats


def get_chat(*, db_session: Session, chat_id: str, language: str) -> TelegramChat:
    """The chat's row, created with ``language`` on first contact."""
    chat = db_session.get(TelegramChat, chat_id)
    if chat is None:
        chat = TelegramChat(chat_id=chat_id, language=language)
        db_session.add(chat)
        db_session.flush()
    return chat


def forget_chat(*, db_session: Session, chat_id: str) -> dict[str, int]:
    """Remove everything that ties ``chat_id`` to a person: links, the chat row, unsent messages."""
    counts = {
        "invallers": db_session.execute(update(Invaller).where(Invaller.telegram_chat_id == chat_id)
                                        .values(telegram_chat_id=None)).rowcount,
        "coaches": db_session.execute(update(Coach).where(Coach.telegram_chat_id == chat_id)
                                      .values(telegram_chat_id=None)).rowcount,
    }
    chat = db_session.get(TelegramChat, chat_id)
    if chat is not None:
        db_session.delete(chat)
    return counts


# ----------------------------------------------------------------------------- link codes


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_koppelcode(code: str) -> str:
    """Case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


def looks_like_koppelcode(code: str) -> bool:
    """True for something shaped like a link code (resume codes are shorter)."""
    return len(normalise_koppelcode(code)) == KOPPELCODE_LENGTH


def new_koppelcode(*, db_session: Session, invaller_id: str | None = None,
                   coach_id: str | None = None) -> str:
    """A fresh one-time code linking Telegram to this invaller or coach (older open codes stop working)."""
    if (invaller_id is None) == (coach_id is None):
        raise ValueError("give exactly one of invaller_id and coach_id")
    now = clock.now()
    owner = (TelegramKoppelcode.invaller_id == invaller_id if invaller_id
             else TelegramKoppelcode.coach_id == coach_id)
    db_session.execute(update(TelegramKoppelcode).where(owner, TelegramKoppelcode.used_at.is_(None))
                       .values(expires_at=now).execution_options(synchronize_session=False))
    raw = "".join(secrets.choice(_KOPPEL_ALPHABET) for _ in range(KOPPELCODE_LENGTH))
    db_session.add(TelegramKoppelcode(code_hash=_hash_code(raw), invaller_id=invaller_id, coach_id=coach_id,
                                      expires_at=now + timedelta(minutes=KOPPELCODE_MINUTES)))
    db_session.flush()
    return f"{raw[:5]}-{raw[5:]}"


def redeem_koppelcode(*, db_session: Session, code: str, chat_id: str) -> Invaller | Coach | None:
    """Link ``chat_id`` to the code's invaller or coach, once; None for an unknown, used or expired code.

    The conditional UPDATE makes the code single-use even when two chats send it at the same moment.
    """
    code_hash = _hash_code(normalise_koppelcode(code))
    now = clock.now()
    used = db_session.execute(
        update(TelegramKoppelcode)
        .where(TelegramKoppelcode.code_hash == code_hash, TelegramKoppelcode.used_at.is_(None),
               TelegramKoppelcode.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if not used:
        return None
    row = db_session.scalar(select(TelegramKoppelcode).where(TelegramKoppelcode.code_hash == code_hash))
    if row is None:
        return None
    owner: Invaller | Coach | None = (db_session.get(Invaller, row.invaller_id) if row.invaller_id
                                      else db_session.get(Coach, row.coach_id))
    if owner is not None:
        owner.telegram_chat_id = chat_id
    return owner


# ----------------------------------------------------------------------------- outgoing


def queue_parts(*, db_session: Session, chat_id: str, parts: list[dict[str, Any]]) -> OutboxBericht | None:
    """Queue the messages of one reply as one outbox message (sent in order, resumed where it stopped)."""
    parts = [p for p in parts if p.get("text")]
    if not parts:
        return None
    body = "\n\n".join(p["text"] for p in parts)
    return outbox.queue(db_session=db_session, channel="telegram", recipient=chat_id, body=body,
                        payload={"parts": parts})


def queued_for_chat(*, db_session: Session, chat_id: str, limit: int = 20) -> list[OutboxBericht]:
    """The chat's queued, due messages in the order they were made, locked for sending."""
    return list(db_session.scalars(
        select(OutboxBericht)
        .where(OutboxBericht.channel == "telegram", OutboxBericht.recipient == chat_id,
               OutboxBericht.status == "queued", OutboxBericht.next_attempt_at <= clock.now())
        .order_by(OutboxBericht.created_at).limit(limit)
        .with_for_update(skip_locked=True)))


def failed_messages(*, db_session: Session, limit: int = 100) -> list[OutboxBericht]:
    """Telegram messages that could not be delivered, newest first (for staff)."""
    return list(db_session.scalars(
        select(OutboxBericht).where(OutboxBericht.channel == "telegram", OutboxBericht.status == "failed")
        .order_by(OutboxBericht.created_at.desc()).limit(limit)))
