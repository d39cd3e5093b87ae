"""``extract``: every slot one message states, read by the fact modules in a fixed order, validated like
a typed answer; a correction word ("havo, nee vwo") replaces the value just before it."""

from __future__ import annotations

from typing import Any

from bot.lexicon import Lexicon
from bot.understand.answers import _booleans, _expected_answer, _free_fallback, _is_dont_know, _none_answer
from bot.understand.conduct import _vog
from bot.understand.education import (
    _dutch_level,
    _education_field,
    _education_level,
    _enrolled,
    _exam_subjects,
    _foreign,
    _teaching_qualification,
)
from bot.understand.message import SLOT_VOCAB, Extraction, _Message
from bot.understand.numbers import _read_numbers, _travel_time
from bot.understand.place import _place
from bot.understand.roles import _current_role, _goal, _works_in_education
from matching.profile import validate_slot


def extract(
    text: str,
    *,
    lexicon: Lexicon,
    expecting: str | None = None,
    expecting_kind: str | None = None,
    language: str = "nl",
) -> Extraction:
    """Read one message: every slot it states, validated; ``dont_know`` when it says "weet ik niet".

    ``expecting`` is the slot the bot just asked for: it lets a bare "3", "ja" or "1998" answer that
    slot and allows short words ("ak", "oa") that would be ambiguous elsewhere. Facts for other slots
    in the same message are still read. ``language`` is the chat language; both languages are read.
    """
    result = Extraction()
    if not isinstance(text, str) or not text.strip():
        return result
    msg = _Message(text, lexicon, expecting, language=language)
    if not msg.tokens:
        return result
    found, dont_know = _read(msg, expecting_kind)
    _apply_correction(msg, found)
    result.dont_know = dont_know
    result.corrects = msg.has_cue("explicit_correction")
    result.guessed = set(getattr(msg, "guessed", set()))
    for slot, (value, start, end) in found.items():
        try:
            result.values[slot] = validate_slot(slot, value)
        except ValueError as exc:
            result.rejected[slot] = f"{value!r}: {exc}"
        result.evidence[slot] = msg.span(start, max(end, start + 1))
    return result


def _apply_correction(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """"havo, nee vwo bedoel ik", "ik ben 36, eh 37": what follows a correction word right after a
    value replaces that value. The rest is read as an answer to the corrected slot, so a bare "37"
    is an age again; slots it does not mention keep what the whole message said."""
    for c in msg.cues.get("correction", []):
        if c.start == 0 or c.end >= len(msg.words):
            continue
        before = [(e, slot) for slot, (_, s, e) in found.items() if c.start - 3 <= e <= c.start and s < c.start]
        if not before:
            continue
        corrected = max(before)[1]
        rest = _Message(
            msg.text[msg.tokens[c.end].start :], msg.lex, corrected, partial=True, language=msg.language
        )
        if not rest.tokens:
            continue
        again, _ = _read(rest, None)
        for slot, (value, s, e) in again.items():
            found[slot] = (value, min(s + c.end, len(msg.words) - 1), min(e + c.end, len(msg.words)))
        return


def _read(msg: _Message, expecting_kind: str | None) -> tuple[dict[str, tuple[Any, int, int]], bool]:
    """Every slot the message states, as (value, first token, end token); and whether it says "weet ik niet"."""
    expecting = msg.expecting
    found: dict[str, tuple[Any, int, int]] = {}
    _enum_and_free(msg, found)
    _booleans(msg, found)
    _enrolled(msg, found)
    _works_in_education(msg, found)
    _place(msg, found, expecting_kind)
    _travel_time(msg, found)
    # Digits inside a recognised phrase ("mbo 4", "b2", "cluster 4") are not numbers of their own.
    used = {
        i for slot, (_, s, e) in found.items() if slot in SLOT_VOCAB or slot == "max_travel_km" for i in range(s, e)
    }
    used |= {
        i
        for m in msg.matches
        if m.end - m.start > 1
        and not m.hit.expected_only
        and msg.lex.kinds.get(m.hit.vocab) in ("enum", "free")
        for i in range(m.start, m.end)
    }
    _read_numbers(msg, used, found)
    _expected_answer(msg, found, expecting_kind)
    dont_know = expecting is not None and expecting not in found and _is_dont_know(msg) and not msg.partial
    none = _none_answer(msg) if dont_know else None
    if none is not None:
        mark = msg.of("dont_know", expected=True)[0]
        found[expecting] = (none, mark.start, mark.end)  # "nvt" to "Welk diploma?" is: no diploma
        dont_know = False
    if dont_know and expecting in ("goal_role", "target_sector", "vog_ok"):
        mark = msg.of("dont_know", expected=True)[0]
        found[expecting] = ("weet_niet", mark.start, mark.end)
    if not msg.partial:
        before = set(found)
        _free_fallback(msg, found, dont_know)
        msg.guessed = set(found) - before
    return found, dont_know


def _enum_and_free(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The slots with a vocabulary and the free-text slots, in this order: a slot filled first is kept."""
    _education_level(msg, found)
    _teaching_qualification(msg, found)
    _education_field(msg, found)
    _goal(msg, found)
    _current_role(msg, found)
    _exam_subjects(msg, found)
    _foreign(msg, found)
    _dutch_level(msg, found)
    _vog(msg, found)
