"""How letters are folded for lookups, the same for the knowledge files and for what people type.

NFKC, no diacritics (Arabic harakat included), lower case; the letters people write either way made one
(Arabic hamza and alef forms, taa marbuta, alef maqsura; Turkish dotless i; apostrophe forms); Arabic-Indic
and other decimal digits as 0-9.
"""

from __future__ import annotations

import unicodedata

SAME_LETTER = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ؤ": "و", "ئ": "ي",
    "ı": "i", "ʼ": "'", "’": "'", "ʹ": "'", "`": "'",
    "\u0640": "",  # Arabic tatweel (a stretching stroke, only typography)
})  # fmt: skip


def fold_char(ch: str) -> str:
    """One character folded (may be empty or several characters)."""
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)  # ٣٥ and ۳۵ read as 35
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch.translate(SAME_LETTER)))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold_text(text: str) -> str:
    """``text`` folded character by character (see ``fold_char``)."""
    return text.lower() if text.isascii() else "".join(fold_char(ch) for ch in text)
