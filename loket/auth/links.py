"""Signed, expiring links for people without an account (an invaller's offer, a coach's request)."""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class LinkInvalid(Exception):
    """The link was changed, is for something else, or has expired (``expired`` says which)."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    # The purpose is the salt: a link made for one thing never works for another.
    return URLSafeTimedSerializer(secret, salt=f"loket.{purpose}")


def sign(secret: str, purpose: str, subject: str) -> str:
    """A token for ``subject`` (e.g. an aanbod id) that only ``verify`` with the same purpose accepts."""
    return _serializer(secret, purpose).dumps(subject)


def verify(secret: str, purpose: str, token: str, *, max_age_seconds: int) -> str:
    """The subject of a valid token; LinkInvalid when forged, for another purpose, or too old."""
    try:
        return str(_serializer(secret, purpose).loads(token, max_age=max_age_seconds))
    except SignatureExpired:
        raise LinkInvalid(expired=True) from None
    except BadSignature:
        raise LinkInvalid(expired=False) from None
