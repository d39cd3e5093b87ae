"""Yes/no facts and short answers: a yes/no fact stated in a clause ("ik werk niet in het onderwijs"),
a bare "ja"/"nee" or free text as the answer to the asked slot, and "weet ik niet"."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.lexicon import Hit, Lexicon
from bot.understand.message import BOOLEAN_SLOTS, FREE_SLOTS, MAX_CHARS, _Match, _Message

# Work cap: a free-text answer keeps at most this many words.
MAX_FREE_WORDS = 8
# Slots where "no" or "not applicable" is a real answer: no teaching qualification, no diploma, not abroad.
_NONE_VALUE = {"teaching_qualification": "geen", "foreign_diploma": "nee", "education_level": "geen"}
# Slots that describe the person's present situation: never filled from a wish, the past or abroad.
_PRESENT_FACTS = frozenset({"works_in_education", "enrolled_teacher_education"})
_WISHABLE_FACTS = frozenset({"has_school_board_contact"})


def _booleans(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Yes/no facts stated in a clause ("ik werk niet in het onderwijs"); negation words flip them."""
    words = msg.words
    for slot, pattern in msg.lex.facts:
        if slot in found or not pattern:
            continue
        for i in range(len(words)):
            end = _pattern_at(words, msg.scope, i, pattern)
            if end is None:
                continue
            at = _Match(i, end, Hit("boolean_facts", slot, False))
            if slot in _PRESENT_FACTS and msg.not_current(at):
                continue  # "ik wil op een school werken", "daar werkte ik op een school"
            if slot in _WISHABLE_FACTS and msg.is_wish(at):
                continue
            flips = [
                c
                for c in msg.cues.get("negation", [])
                if msg.scope[c.start] == msg.scope[i] and i - 3 <= c.start < end
            ]
            # "hoef niet", "hoeft geen": one negation said twice, not a double negative.
            doubled = sum(
                1
                for a, b in zip(flips, flips[1:], strict=False)
                if words[a.start] in ("hoef", "hoeft") and b.start == a.end
            )
            found[slot] = ((len(flips) - doubled) % 2 == 0, i, end)
            break


def _word_fits(pattern_word: str, word: str) -> bool:
    return word == pattern_word or (len(pattern_word) >= 4 and word.startswith(pattern_word))


def _pattern_at(words: list[str], scope: list[int], i: int, pattern: tuple[str, ...]) -> int | None:
    """End index when ``pattern`` occurs in order from ``i`` within one clause (small gaps allowed)."""
    if not _word_fits(pattern[0], words[i]):
        return None
    j, limit = i + 1, i + len(pattern) + 5
    for p in pattern[1:]:
        while j < len(words) and j < limit and scope[j] == scope[i] and not _word_fits(p, words[j]):
            j += 1
        if j >= len(words) or j >= limit or scope[j] != scope[i]:
            return None
        j += 1
    return j


_LEAD = re.compile(
    r"^(?:(?:ik|i)\s+(?:ben|heb|werk|doe|am|have|work|do|studeerde|studied|deed|wil|want)\s+"
    r"(?:als|as|een|a|an|de|het|the|in|aan)?\s*|een\s+|de\s+|het\s+|a\s+|an\s+|the\s+|als\s+|as\s+)+",
    re.IGNORECASE,
)


def _clean_phrase(text: str) -> str:
    """A short free-text answer: first clause, without "ik ben een", at most a few words."""
    first = re.split(r"[.;!?\n,]", text.strip(), maxsplit=1)[0]
    first = _LEAD.sub("", " ".join(first.split()))
    words = first.split()[:MAX_FREE_WORDS]
    return " ".join(words)[:80].strip(" -:")


def _leading_yes_no(msg: _Message) -> tuple[bool, int, int] | None:
    # "لا أعرف", "не знаю" (I don't know) begin with the word for "no"; that "no" is no answer.
    unsure = [d for d in msg.of("dont_know", expected=True) if d.hit.value == "weet_niet"]
    for m in sorted(msg.of("yes_no", expected=True), key=lambda m: m.start):
        if any(d.start <= m.start < d.end for d in unsure):
            continue
        before = msg.words[: m.start]
        if all(w in msg.lex.fillers for w in before) and m.start <= 2:
            return bool(m.hit.value), m.start, m.end
        break
    return None


def _expected_answer(
    msg: _Message, found: dict[str, tuple[Any, int, int]], expecting_kind: str | None
) -> None:
    """A short yes/no answers the asked boolean slot; free text answers the asked free-text slot."""
    slot = msg.expecting
    if slot is None or slot in found:
        return
    if slot in BOOLEAN_SLOTS or slot == "consent" or expecting_kind in ("yes_no", "consent"):
        yn = _leading_yes_no(msg)
        if yn is not None:
            found[slot] = yn
        return
    if slot == "vog_ok":
        yn = _leading_yes_no(msg)
        if yn is not None:
            found[slot] = ("ja" if yn[0] else "nee", yn[1], yn[2])
        return
    if slot in _NONE_VALUE:
        # "Heb je een bevoegdheid?" - "nee, ik heb er geen": a plain no chooses the slot's "none" value.
        yn = _leading_yes_no(msg)
        if yn is not None and not yn[0]:
            found[slot] = (_NONE_VALUE[slot], yn[1], yn[2])


def _free_fallback(msg: _Message, found: dict[str, tuple[Any, int, int]], dont_know: bool) -> None:
    slot = msg.expecting
    if slot not in FREE_SLOTS or slot in found or dont_know or not msg.words:
        return
    if _leading_yes_no(msg) is not None and len(msg.words) <= 2:
        return
    phrase = _clean_phrase(msg.text[:MAX_CHARS])
    if phrase and any(ch.isalpha() for ch in phrase):
        found[slot] = (phrase, 0, len(msg.words))


def _is_dont_know(msg: _Message) -> bool:
    marks = msg.of("dont_know", expected=True)
    return bool(marks) and marks[0].start <= 3


def _none_answer(msg: _Message) -> Any:
    """ "nvt", "heb ik niet" to a slot where that is a real answer: the slot's "none" value, else None."""
    marks = msg.of("dont_know", expected=True)
    if msg.expecting in _NONE_VALUE and marks and marks[0].start <= 3 and marks[0].hit.value == "nvt":
        return _NONE_VALUE[msg.expecting]
    return None


# ------------------------------------------------------------------ the bot's own yes/no questions

_YES_EMOJI = frozenset("👍👌✅✔☑🙂😊😀😃😄🙏💯👏🤝")
_NO_EMOJI = frozenset("👎❌✖🚫🙅")
_REPEATS = re.compile(r"(\w)\1{2,}")  # "jaaaa", "neeee", "okeeee": a letter said three times or more
# At most this many words before the yes or no ("nou eh ja hoor"), and this many after it, for the
# message to be an answer and not a sentence about something else.
_MAX_LEAD = 3
_MAX_AFTER = 6
_TYPO_MIN_CHARS = 4


def read_yes_no(text: str, lex: Lexicon) -> bool | None:
    """A yes or a no to one of the bot's own questions (consent, the summary, restart, continue):
    "ja, klopt", "klopt helemaal", "ja hoor 👍", "prima", "nee, dat klopt niet", "liever niet", "yes that's
    right", "nope", "jaaa", "klopr". None when the message is neither, or is a sentence about something else.

    The first yes or no word decides, unless a negation follows it in the same clause ("klopt niet",
    "is niet goed", "not right"): then it is a no."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text[:MAX_CHARS]
    if read_dont_know(text, lex):
        return None  # "weet ik niet" holds "niet", but it is no "no"
    emoji = {ch for ch in text if ch in _YES_EMOJI or ch in _NO_EMOJI}
    msg = _Message(_REPEATS.sub(r"\1", text), lex, None, partial=True)
    hits = sorted(msg.of("yes_no", expected=True), key=lambda m: m.start)
    if not hits and len(msg.words) <= 3:
        hits = _typo_yes_no(msg, lex)
    if not hits:
        if emoji and not msg.words:
            yes = bool(emoji & _YES_EMOJI)
            return yes if not (yes and emoji & _NO_EMOJI) else None
        return None
    first = hits[0]
    lead = [w for w in msg.words[: first.start] if w not in lex.fillers]
    if len(lead) > _MAX_LEAD or first.start > _MAX_LEAD + 2:
        return None
    answer = bool(first.hit.value)
    if answer:
        # "klopt niet", "dat is niet goed", "ja, maar dat klopt niet": a yes word that is negated.
        negated = [
            c for c in msg.cues.get("negation", []) if c.start >= first.start and c.start <= first.end + 2
        ]
        later_no = [h for h in hits[1:] if not h.hit.value and msg.words[h.start] in ("niet", "not")]
        if negated or later_no:
            return False
    covered = {i for h in hits for i in range(h.start, h.end)}
    other = [w for i, w in enumerate(msg.words) if i >= first.end and i not in covered and w not in lex.fillers]
    if len(other) > _MAX_AFTER:
        return None
    return answer


def _typo_yes_no(msg: _Message, lex: Lexicon) -> list[_Match]:
    """"klopr", "akoord", "prmia": one edit away from a yes or no word of four letters or more."""
    words = lex.yes_no_words
    out = []
    for i, word in enumerate(msg.words):
        if len(word) < _TYPO_MIN_CHARS or word in lex.known_tokens:
            continue
        best = process.extractOne(word, list(words), scorer=OSA.distance, score_cutoff=1)
        if best is not None:
            out.append(_Match(i, i + 1, Hit("yes_no", words[best[0]], False), fuzzy=True))
            break
    return out


def read_dont_know(text: str, lex: Lexicon) -> bool:
    """The whole message says "I don't know" or "not applicable" ("weet ik niet", "geen idee", "nvt",
    "n.v.t.", "niet van toepassing", "n/a", "sla over"), perhaps with filler around it."""
    if not isinstance(text, str) or not text.strip():
        return False
    msg = _Message(text[:MAX_CHARS], lex, None, partial=True)
    marks = msg.of("dont_know", expected=True)
    if not marks or marks[0].start > _MAX_LEAD:
        return False
    covered = {i for m in marks for i in range(m.start, m.end)}
    rest = [w for i, w in enumerate(msg.words) if i not in covered and w not in lex.fillers]
    return len(rest) <= 3
