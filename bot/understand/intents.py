"""Commands about the conversation ("stop", "english please", "nee, ik bedoelde ...") and the slot a
correction is about."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from bot.lexicon import Lexicon, tokenize
from bot.understand.message import MAX_CHARS, MAX_TOKENS, _exact_matches
from bot.understand.reading import extract

# Work cap: a command is a short message; a longer one is read only for a correction.
MAX_INTENT_TOKENS = 14


def detect_intent(text: str, lexicon: Lexicon) -> str | None:
    """Return "stop", "erase", "handoff", "restart", "edit", "language_en", "language_nl", "help" or None.

    Only a message that is (almost) nothing but the command counts, so "ik stop met mijn baan" is
    an answer, not "stop". A correction ("nee, ik bedoelde hbo") may carry more text after it.
    """
    if not isinstance(text, str):
        return None
    tokens = tokenize(text[:600], max_tokens=MAX_INTENT_TOKENS + 1)
    words = [t.text for t in tokens]
    if not words or len(words) > MAX_INTENT_TOKENS:
        return _edit_prefix(words, lexicon)
    fillers = lexicon.fillers
    n = len(words)
    for length in range(n, 0, -1):
        for i in range(0, n - length + 1):
            key = " ".join(words[i : i + length])
            intent = lexicon.intents.get(key)
            if intent is None:
                continue
            rest = words[:i] + words[i + length :]
            if all(w in fillers for w in rest):
                return intent
    edit = _edit_prefix(words, lexicon)
    if edit:
        return edit
    core = " ".join(w for w in words if w not in fillers)
    if 4 <= len(core) <= 40 and len(core.split()) <= 6:
        best = process.extractOne(
            core, list(lexicon.intents), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=88
        )
        if best is not None:
            return lexicon.intents[best[0]]
    return None


def _edit_prefix(words: list[str], lexicon: Lexicon) -> str | None:
    """A correction: an edit phrase at the start (after "nee", "sorry"), or anywhere next to a slot name."""
    for start in range(min(3, len(words))):
        if any(w not in lexicon.fillers for w in words[:start]):
            break
        for length in range(min(5, len(words) - start), 0, -1):
            key = " ".join(words[start : start + length])
            if key in lexicon.prefix_intents:
                return "edit"
    if len(words) <= MAX_INTENT_TOKENS:
        has_edit = any(
            " ".join(words[i : i + k]) in lexicon.prefix_intents for i in range(len(words)) for k in (1, 2, 3)
        )
        names_slot = any(h.vocab == "slot_phrases" for m in _exact_matches(words, lexicon) for h in [m.hit])
        if has_edit and names_slot:
            return "edit"
    return None


def extract_edit_target(text: str, lexicon: Lexicon) -> str | None:
    """Return the slot a correction is about ("nee, ik bedoelde hbo" -> "education_level"), or None."""
    if not isinstance(text, str):
        return None
    tokens = tokenize(text[:MAX_CHARS], max_tokens=MAX_TOKENS)
    words = [t.text for t in tokens]
    matches = _exact_matches(words, lexicon)
    named = [m for m in matches if m.hit.vocab == "slot_phrases"]
    # The remainder after the edit phrase says what the new value is.
    cut = 0
    for i in range(min(4, len(words))):
        for length in range(min(5, len(words) - i), 0, -1):
            if " ".join(words[i : i + length]) in lexicon.prefix_intents:
                cut = max(cut, tokens[i + length - 1].end)
    rest = text[cut:] if cut else text
    found = extract(rest, lexicon=lexicon)
    if found.values or found.rejected:
        positions = {slot: rest.find(span) for slot, span in found.evidence.items()}
        slot = min(positions, key=lambda s: positions[s] if positions[s] >= 0 else 10**9)
        if not named or slot == str(named[0].hit.value):
            return slot
    if named:
        return str(max(named, key=lambda m: m.end - m.start).hit.value)
    return None
