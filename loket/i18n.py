"""The service's own words and formats in the person's language (nl, en, ar, uk, tr).

The texts are data: ``knowledge/texts/service.yaml`` (errors, the resume code, the contact promise), next
to the conversation's texts in ``knowledge/intake/``; ``loket check-knowledge`` finds a missing translation
in any of them. Dates, numbers and the choice from ``Accept-Language`` come from Babel (CLDR).
Staff pages add Dutch/English texts of their own to ``TEXTS`` (see loket/vervangingsvraag).
"""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import format_date
from babel.numbers import format_decimal
from starlette.requests import Request

from knowledge import KNOWLEDGE_DIR
from knowledge.schema.text import LANGUAGES, load_text_file

# key -> language -> text. Read once at import: the service's words are needed before any app exists
# (error handlers, middleware).
TEXTS: dict[str, dict[str, str]] = {
    key: {lang: value for lang in LANGUAGES if (value := getattr(entry, lang))}
    for key, entry in load_text_file(KNOWLEDGE_DIR, "service").items()
}


def text(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (English for a missing translation, Dutch when unknown)."""
    entry = TEXTS[key]
    fallback = entry["nl"] if language == "nl" or language not in LANGUAGES else entry.get("en", entry["nl"])
    return entry.get(language, fallback).format(**values)


def _accepted(header: str) -> list[str]:
    """The languages of an ``Accept-Language`` header, most wanted first (q-values respected)."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if code and quality > 0:
            wanted.append((-quality, position, code.strip().replace("-", "_")))
    return [code for _, _, code in sorted(wanted)]


def negotiate(header: str | None) -> str | None:
    """The first of the loket's languages the browser accepts (Babel's negotiation), or None."""
    if not header:
        return None
    preferred = _accepted(header)
    found = negotiate_locale(preferred, list(LANGUAGES), sep="_")
    if found is None:  # "ar-SY", "uk_UA": negotiate on the language part as well
        found = negotiate_locale([p.split("_")[0] for p in preferred], list(LANGUAGES), sep="_")
    return found


def language_of(request: Request) -> str:
    """The person's language: ``?lang=``, else the browser's Accept-Language, else Dutch."""
    lang = request.query_params.get("lang", "")
    if lang in LANGUAGES:
        return lang
    return negotiate(request.headers.get("accept-language")) or "nl"


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language if language in LANGUAGES else "nl")
    except UnknownLocaleError:  # pragma: no cover - every loket language is in CLDR
        return Locale.parse("nl")


def day_text(day: date, language: str) -> str:
    """``dinsdag 1 december``, ``Tuesday 1 December``, ``الثلاثاء ١ ديسمبر`` … for a date (CLDR)."""
    return format_date(day, "EEEE d MMMM", locale=_locale(language))


def number_text(value: float, language: str) -> str:
    """A number as people of ``language`` write it (``2,5`` in Dutch, ``2.5`` in English)."""
    return format_decimal(value, format="#,##0.#", locale=_locale(language))


def direction(language: str) -> str:
    """``rtl`` for Arabic, ``ltr`` for the others (CLDR's character order)."""
    return "rtl" if _locale(language).character_order == "right-to-left" else "ltr"
