"""Drive an intake through any channel by answering whatever ``expecting`` asks for.

The driver does not know the question order: it reads the slot and kind of each Turn, so it keeps working
when the flow in knowledge/intake/ changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Sensible typed answers per slot, for questions that are not choices.
TYPED = {
    "age": "35", "days_per_week": "3", "qualification_year": "2005", "max_travel_km": "20",
    "place": "Amersfoort", "education_field": "psychologie", "current_role": "adviseur bij een bank",
    "goal_subject": "muziek", "contact": "jan@example.org", "contact_preferred": "overdag, per mail",
}


def answer_for(turn: dict[str, Any]) -> str:
    """The text to send for the question of ``turn``."""
    expecting = turn.get("expecting") or {}
    slot, kind = expecting.get("slot"), expecting.get("kind")
    choices = [c["value"] for c in expecting.get("choices") or []]
    if kind == "consent":
        return "ja"
    if slot == "confirm":
        return next((c for c in choices if c.endswith("confirm")), choices[0] if choices else "ja")
    if kind == "multi_choice":
        return choices[0]
    if kind == "yes_no":
        return "ja" if "ja" in choices or not choices else choices[0]
    if slot in TYPED:
        return TYPED[slot]
    if choices:
        real = [c for c in choices if not c.startswith("action:") and c != "weet_niet"]
        return (real or choices)[0]
    return "weet ik niet"


def run_to_done(send: Callable[[str], dict[str, Any]], first: dict[str, Any], max_turns: int = 60) -> list[dict]:
    """Answer turn after turn until the intake is done; return every Turn seen."""
    turns = [first]
    turn = first
    last_slot = None
    for _ in range(max_turns):
        if turn.get("done"):
            return turns
        expecting = turn.get("expecting") or {}
        text = answer_for(turn)
        if expecting.get("kind") == "multi_choice" and expecting.get("slot") == last_slot:
            # One pick made; now close the list.
            text = next(c["value"] for c in expecting["choices"] if c["value"] == "action:multi_done")
        last_slot = expecting.get("slot")
        turn = send(text)
        turns.append(turn)
    raise AssertionError(f"intake not done after {max_turns} turns; last: {turn}")
