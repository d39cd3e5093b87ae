"""Resume codes: a new random code, and a typed code in its stored form."""

from __future__ import annotations

import secrets

# Without 0/O and 1/I/L: a code read aloud or typed on a phone should not be misread.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 8


def new_resume_code() -> str:
    """A random resume code like ``K7QM-2XPD``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    """``k7qm 2xpd`` → ``K7QM-2XPD``: case, spaces and dashes do not matter."""
    raw = "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == _CODE_LENGTH else raw
