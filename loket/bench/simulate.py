"""A simulated person for benchmarks and tests: answers whatever the intake asks, from ``expecting``.

It does not know the question order; it reads the slot and kind of each Turn, so it keeps working when the
flow in knowledge/intake/ changes.
"""

from __future__ import annotations

from typing import Any

# Sensible typed answers per slot, for questions that are not choices.
TYPED = {
    "age": "35", "days_per_week": "3", "qualification_year": "2005", "max_travel_km": "20",
    "place": "Amersfoort", "education_field": "psychologie", "current_role": "adviseur bij een bank",
    "goal_subject": "muziek", "contact": "jan@example.org", "contact_preferred": "overdag, per mail",
}
MULTI_DONE = "action:multi_done"


def answer_for(turn: dict[str, Any], *, previous_slot: str | None = None) -> str:
    """The text to send for the question of ``turn`` (``previous_slot``: the slot answered just before)."""
    expecting = turn.get("expecting") or {}
    slot, kind = expecting.get("slot"), expecting.get("kind")
    choices = [c["value"] for c in expecting.get("choices") or []]
    if kind == "consent":
        return "ja"
    if slot == "confirm":
        return next((c for c in choices if c.endswith("confirm")), choices[0] if choices else "ja")
    if kind == "multi_choice":
        # One pick, then close the list.
        return MULTI_DONE if slot == previous_slot and MULTI_DONE in choices else choices[0]
    if kind == "yes_no":
        return "ja" if "ja" in choices or not choices else choices[0]
    if slot in TYPED:
        return TYPED[slot]
    if choices:
        real = [c for c in choices if not c.startswith("action:") and c != "weet_niet"]
        return (real or choices)[0]
    return "weet ik niet"
