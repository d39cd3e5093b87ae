"""Drive an intake through any channel by answering whatever ``expecting`` asks for (see loket.bench.simulate)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loket.bench.simulate import TYPED, answer_for

__all__ = ["TYPED", "answer_for", "run_to_done"]


def run_to_done(send: Callable[[str], dict[str, Any]], first: dict[str, Any], max_turns: int = 60) -> list[dict]:
    """Answer turn after turn until the intake is done; return every Turn seen."""
    turns = [first]
    turn = first
    previous_slot = None
    for _ in range(max_turns):
        if turn.get("done"):
            return turns
        text = answer_for(turn, previous_slot=previous_slot)
        previous_slot = (turn.get("expecting") or {}).get("slot")
        turn = send(text)
        turns.append(turn)
    raise AssertionError(f"intake not done after {max_turns} turns; last: {turn}")
