"""Cleaning text that people send, before anything else sees it."""

from __future__ import annotations

import re
import unicodedata

# Control characters (C0/C1) except tab and newline; zero-width and bidi controls that hide content.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def clean(text: str) -> str:
    """NFKC-normalised text without control characters or lone surrogates (which no database stores)."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    text = unicodedata.normalize("NFKC", text)
    return _CONTROL.sub("", text).strip()
