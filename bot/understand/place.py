"""Where the person lives: a place of the region after "ik woon in", as the answer to the place
question, or a typo of one; not the place of a school, employer or country of origin."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process

from bot.lexicon import CUE, MIN_FUZZY_CHARS, PLACE
from bot.understand.answers import _clean_phrase
from bot.understand.message import _Match, _Message

# ratio for a place name right after "ik woon in" ("Amersfrot"): looser than the general typo cutoff.
_PLACE_TYPO_CUTOFF = 80.0
_PLACE_PREPOSITIONS = frozenset({"in", "bij", "te", "near", "around", "rond", "rondom", "omgeving"})


def _place(msg: _Message, found: dict[str, tuple[Any, int, int]], expecting_kind: str | None) -> None:
    """Where the person lives: a place of the region after "ik woon in", "I live in", "kom uit", or as the
    answer to the place question. A school, employer or university "in Utrecht" is not a home, and a
    country is an origin ("ik kom uit Syrië"), never a home town unless the person says they live there."""
    expected = msg.expecting == "place" or expecting_kind == "place"
    for m in msg.of(PLACE, expected=True):
        home = msg.cue_in_scope("home", m.start, before=5) or _cue_after(msg, "home", m)
        if not expected and not home and _place_is_other(msg, m):
            continue
        # "in Zeist" counts when written as a name; "houten" (wooden) in lower case does not.
        capitalised = msg.text[msg.tokens[m.start].start :][:1].isupper()
        after_preposition = m.start > 0 and msg.words[m.start - 1] in _PLACE_PREPOSITIONS and capitalised
        if expected or home or after_preposition or msg.cue_in_scope("place", m.start, before=4) or _cue_after(
            msg, "place", m
        ):
            ref = m.hit.value
            found["place"] = (ref.municipality if ref.in_region else ref.name, m.start, m.end)
            return
    for cue in msg.cues.get("home", []):
        start = cue.end
        while start < len(msg.words) and msg.words[start] in ("in", "te", "bij", "the", "de", "het", "near"):
            start += 1
        if start >= len(msg.words) or msg.scope[start] != msg.scope[cue.start]:
            continue
        # A typo in a known name after "ik woon in": a looser match than elsewhere, the context is clear.
        guess = _place_by_typo(msg, start)
        if guess is not None:
            found["place"] = guess
            return
        # An unknown name (or a city abroad) after "ik woon in" / "I live in" keeps its own spelling.
        stop = start
        while (
            stop < len(msg.tokens)
            and stop - start < 3
            and msg.text[msg.tokens[stop].start :][:1].isupper()
            and msg.scope[stop] == msg.scope[cue.start]
        ):
            stop += 1
        if stop > start:
            found["place"] = (msg.span(start, stop), start, stop)
            return
    short_name = 0 < len(msg.words) <= 4 and all(w.isalpha() for w in msg.words)
    if expected and short_name and not found and not msg.partial:
        guess = _place_by_typo(msg, 0)
        if guess is not None:
            found["place"] = guess
            return
        if not msg.matches or all(msg.lex.kinds.get(m.hit.vocab) == CUE for m in msg.matches):
            found["place"] = (_clean_phrase(msg.text).title(), 0, len(msg.words))


def _cue_after(msg: _Message, name: str, m: _Match) -> list[_Match]:
    """Turkish puts the verb last: "Utrecht'te oturuyorum" (I live in Utrecht), "Zeist yakınında"."""
    return msg.cue_in_scope(name, m.end, after=3) if msg.language == "tr" else []


def _place_is_other(msg: _Message, m: _Match) -> bool:
    """The place belongs to something else in the clause: a school, an employer, a university, studies."""
    return bool(msg.cue_in_scope("place_block", m.start, before=6)) or msg.is_foreign(m.start)


def _place_by_typo(msg: _Message, start: int) -> tuple[Any, int, int] | None:
    for n in (2, 1):
        if start + n > len(msg.words) or msg.scope[start + n - 1] != msg.scope[start]:
            continue
        query = " ".join(msg.words[start : start + n])
        if len(query) < MIN_FUZZY_CHARS or not query.replace(" ", "").isalpha():
            continue
        best = process.extractOne(query, msg.lex.place_keys, scorer=fuzz.ratio, score_cutoff=_PLACE_TYPO_CUTOFF)
        if best is not None:
            ref = msg.lex.places[best[0]]
            return (ref.municipality if ref.in_region else ref.name, start, start + n)
    return None
