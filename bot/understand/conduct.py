"""Conduct: whether the person can get a VOG (certificate of conduct)."""

from __future__ import annotations

from typing import Any

from bot.understand.answers import _is_dont_know
from bot.understand.message import _Match, _Message


def _vog(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Can the person get a VOG? Read from problem words and their negation ("geen VOG problemen",
    "een strafblad", "dat wordt lastig", "dat lukt wel"); in a free sentence only next to a VOG word."""
    exp = msg.expecting
    if "vog_ok" in found:
        return
    vocab = msg.of("vog_ok", expected=exp == "vog_ok")
    unsure = [m for m in vocab if m.hit.value == "weet_niet"]
    if unsure and (exp == "vog_ok" or msg.scope_has("vog_topic", unsure[0].start)):
        found["vog_ok"] = ("weet_niet", unsure[0].start, unsure[0].end)
        return
    if exp == "vog_ok" and _is_dont_know(msg):
        return

    def relevant(at: int) -> bool:
        return exp == "vog_ok" or msg.scope_has("vog_topic", at)

    for name, good_when_negated in (("problem", True), ("success", False)):
        for c in msg.cues.get(name, []):
            if not relevant(c.start):
                continue
            at = _Match(c.start, c.end, c.hit)
            # "geen strafblad", "mijn strafblad is blanco": a negation or a clean-record word.
            negated = bool(msg.cue_in_scope("negation", c.start, outside=at)) or (
                good_when_negated and bool(msg.cue_in_scope("clean", c.start, outside=at))
            )
            ok = negated if good_when_negated else not negated
            found["vog_ok"] = ("ja" if ok else "nee", c.start, c.end)
            return
    for m in vocab:
        if relevant(m.start):
            found["vog_ok"] = (m.hit.value, m.start, m.end)
            return
