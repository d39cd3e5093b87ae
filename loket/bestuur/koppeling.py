"""The bestuur API's own parts: API keys, the callback address, signed callbacks through the outbox, and
idempotent POSTs. The endpoints themselves are the invalpool API (loket/vervangingsvraag/views.py): a key
acts as that bestuur's account, with the same rules as the form.

A key looks like ``lkb_<12 characters>_<secret>``; only its SHA-256 is stored (keys are long random
strings, so a plain hash is safe). A callback is ``POST <url>`` with the vraag's JSON and the headers
``X-Loket-Timestamp`` (Unix seconds) and ``X-Loket-Signature: sha256=<hex>``, where the hex is
HMAC-SHA256(secret, ``<timestamp>.<body>``); see the README for how to verify it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.bestuur.models import Bestuur, BestuurApiSleutel, BestuurCallback
from loket.context import AppContext
from loket.errors import LoketError
from loket.i18n import TEXTS
from loket.outbox.models import OutboxBericht

KEY_PREFIX = "lkb_"
WEBHOOK = "webhook"  # the outbox channel of callbacks
SIGNATURE_HEADER = "X-Loket-Signature"
TIMESTAMP_HEADER = "X-Loket-Timestamp"
LAST_USE_EVERY = timedelta(minutes=1)  # write "last used" at most this often per key
CALLBACK_TIMEOUT_S = 10.0

TEXTS.update({
    "api_key_naam": {"nl": "Geef de sleutel een naam van 1 tot 100 tekens, bijvoorbeeld 'AFAS'.",
                     "en": "Give the key a name of 1 to 100 characters, for example 'AFAS'."},
    "api_key_invalid": {"nl": "Deze API-sleutel werkt niet: hij ontbreekt, klopt niet of is ingetrokken.",
                        "en": "This API key does not work: it is missing, wrong or revoked."},
    "bestuur_onbekend": {"nl": "Dat bestuur kennen we niet: {bestuur_id}.",
                         "en": "We do not know that school board: {bestuur_id}."},
    "api_key_unknown": {"nl": "Die sleutel bestaat niet (meer).", "en": "That key does not exist (any more)."},
    "callback_url": {"nl": "Geef een https-adres, bijvoorbeeld https://hr.bestuur.nl/loket.",
                     "en": "Give an https address, for example https://hr.bestuur.nl/loket."},
})


@dataclass(frozen=True)
class KeyPrincipal:
    """Who calls with an API key: the bestuur's account for the invalpool rules (role ``bestuur``)."""

    sleutel_id: str
    naam: str
    bestuur_id: str
    rol: str = "bestuur"
    actief: bool = True

    @property
    def id(self) -> str:
        return f"api-sleutel:{self.sleutel_id}"

    @property
    def actor(self) -> str:
        """How the audit log names the caller: the key's name and id."""
        return f"api-sleutel:{self.naam}:{self.sleutel_id}"


def actor_of(account: Any) -> str:
    """The audit actor of an account or an API key."""
    return str(getattr(account, "actor", None) or f"medewerker:{account.id}")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# ------------------------------------------------------------------------------------------ keys


def create_key(*, db_session: Session, bestuur_id: str, naam: str, actor: str) -> tuple[BestuurApiSleutel, str]:
    """A new key for ``bestuur_id``; returns the stored row and the key itself (shown once, never again)."""
    naam = " ".join((naam or "").split())
    if not 1 <= len(naam) <= 100:
        raise LoketError(422, "api_key_naam")
    if db_session.get(Bestuur, bestuur_id) is None:
        raise LoketError(404, "bestuur_onbekend", bestuur_id=bestuur_id[:64])
    key = f"{KEY_PREFIX}{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"
    row = BestuurApiSleutel(bestuur_id=bestuur_id, naam=naam, prefix=key[:16], sleutel_hash=_hash(key),
                            gemaakt_door=actor[:100], created_at=clock.now())
    db_session.add(row)
    db_session.flush()
    record(db_session=db_session, actor=actor, action="api_sleutel.create", object_type="bestuur",
           object_id=bestuur_id, detail={"sleutel_id": row.id, "naam": naam})
    return row, key


def revoke_key(*, db_session: Session, bestuur_id: str, sleutel_id: str, actor: str) -> BestuurApiSleutel:
    """Revoke a key of ``bestuur_id`` at once (the next call with it is 401)."""
    row = db_session.get(BestuurApiSleutel, sleutel_id[:32])
    if row is None or row.bestuur_id != bestuur_id:
        raise LoketError(404, "api_key_unknown")
    if row.ingetrokken_at is None:
        row.ingetrokken_at = clock.now()
        record(db_session=db_session, actor=actor, action="api_sleutel.revoke", object_type="bestuur",
               object_id=bestuur_id, detail={"sleutel_id": row.id, "naam": row.naam})
    return row


def keys_of(*, db_session: Session, bestuur_id: str) -> list[BestuurApiSleutel]:
    return list(db_session.scalars(select(BestuurApiSleutel).where(BestuurApiSleutel.bestuur_id == bestuur_id)
                                   .order_by(BestuurApiSleutel.created_at.desc())).all())


def principal_for(db_session: Session, key: str) -> KeyPrincipal | None:
    """The caller of a key, or None for an unknown or revoked one; notes the last use."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    row = db_session.scalar(select(BestuurApiSleutel).where(BestuurApiSleutel.sleutel_hash == _hash(key)))
    if row is None or row.ingetrokken_at is not None or not hmac.compare_digest(row.sleutel_hash, _hash(key)):
        return None
    now = clock.now()
    if row.laatst_gebruikt_at is None or now - row.laatst_gebruikt_at >= LAST_USE_EVERY:
        row.laatst_gebruikt_at = now
    return KeyPrincipal(sleutel_id=row.id, naam=row.naam, bestuur_id=row.bestuur_id)


# ------------------------------------------------------------------------------------------ callbacks


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    return bool(parts.hostname) and (parts.scheme == "https" or (parts.scheme == "http" and local)) and \
        len(url) <= 500 and not parts.username


def set_callback(*, db_session: Session, bestuur_id: str, url: str, actor: str) -> tuple[BestuurCallback, str]:
    """Register (or replace) the bestuur's callback address; returns it and a new secret (shown once).
    Only https, except http on this machine (for a local test receiver)."""
    url = (url or "").strip()
    if not _valid_url(url):
        raise LoketError(422, "callback_url")
    secret = "whsec_" + secrets.token_urlsafe(32)
    row = db_session.get(BestuurCallback, bestuur_id)
    if row is None:
        row = BestuurCallback(bestuur_id=bestuur_id, url=url, secret=secret, created_at=clock.now())
        db_session.add(row)
    else:
        row.url, row.secret = url, secret
    record(db_session=db_session, actor=actor, action="callback.set", object_type="bestuur", object_id=bestuur_id,
           detail={"url": url})
    db_session.flush()
    return row, secret


def remove_callback(*, db_session: Session, bestuur_id: str, actor: str) -> None:
    row = db_session.get(BestuurCallback, bestuur_id)
    if row is not None:
        db_session.delete(row)
        record(db_session=db_session, actor=actor, action="callback.remove", object_type="bestuur",
               object_id=bestuur_id)


def sign(secret: str, timestamp: str, body: str) -> str:
    """The signature header's value: ``sha256=`` + HMAC-SHA256(secret, timestamp + "." + body)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: str, signature: str, *, max_age_s: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does: the signature fits and the timestamp is recent (no replays)."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= max_age_s and hmac.compare_digest(sign(secret, timestamp, body), signature)


def vraag_changed(*, db_session: Session, vraag: Any) -> None:
    """Queue a callback when the vraag's API status differs from the one last sent (every status change
    once; a change of notes only is no status change)."""
    from loket.vervangingsvraag import api_view

    callback = db_session.get(BestuurCallback, vraag.bestuur_id)
    if callback is None:
        return
    status = api_view.api_status(db_session, vraag)
    if status == vraag.callback_status:
        return
    vraag.callback_status = status
    body = json.dumps({"event": "vervangingsvraag.status", "vraag": api_view.vraag_out(db_session, vraag)},
                      ensure_ascii=False, sort_keys=True, default=str)
    db_session.add(OutboxBericht(channel=WEBHOOK, recipient=callback.url, body=body,
                                 payload={"bestuur_id": vraag.bestuur_id, "vraag_id": vraag.id, "status": status},
                                 next_attempt_at=clock.now()))


def send_webhook(ctx: AppContext, message: OutboxBericht) -> None:
    """Deliver one callback; any answer but 2xx (or no answer) is retried with backoff by the outbox."""
    with ctx.sessions() as db:
        callback = db.get(BestuurCallback, str(message.payload.get("bestuur_id", "")))
        if callback is None:
            from loket.outbox.service import PermanentFailure

            raise PermanentFailure("the bestuur removed its callback address")
        secret, url = callback.secret, callback.url
    timestamp = str(int(clock.now().timestamp()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: sign(secret, timestamp, message.body), "User-Agent": "loket-callback/1"}
    response = httpx.post(url, content=message.body.encode(), headers=headers, timeout=CALLBACK_TIMEOUT_S)
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"callback answered {response.status_code}")


def ensure_webhook_sender() -> None:
    from loket.outbox.service import SENDERS, register_sender

    if WEBHOOK not in SENDERS:
        register_sender(WEBHOOK, send_webhook)


def deliveries(*, db_session: Session, bestuur_id: str, limit: int = 20) -> list[OutboxBericht]:
    """The bestuur's latest callbacks, delivered or not, newest first (for its page and the console)."""
    rows = db_session.scalars(select(OutboxBericht).where(OutboxBericht.channel == WEBHOOK)
                              .order_by(OutboxBericht.created_at.desc()).limit(500)).all()
    return [r for r in rows if (r.payload or {}).get("bestuur_id") == bestuur_id][:limit]
