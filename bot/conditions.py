"""Evaluate the flow's ``ask_if`` conditions and decide which question comes next. Pure functions."""

from __future__ import annotations

from typing import Any

from bot.state import IntakeState
from knowledge.schema.intake import Condition, IntakeFlow, SlotSpec


def holds(condition: Condition, answers: dict[str, Any]) -> bool:
    """Whether ``condition`` is true for ``answers``; an unknown slot never matches in/is, always not_in."""
    if condition.all is not None:
        return all(holds(c, answers) for c in condition.all)
    if condition.any is not None:
        return any(holds(c, answers) for c in condition.any)
    if condition.not_ is not None:
        return not holds(condition.not_, answers)
    assert condition.slot is not None  # guaranteed by Condition's validator
    known = condition.slot in answers and answers[condition.slot] is not None
    value = answers.get(condition.slot)
    if condition.known is not None:
        return known == condition.known
    if condition.in_ is not None:
        return known and _matches_any(value, condition.in_)
    if condition.not_in is not None:
        return not known or not _matches_any(value, condition.not_in)
    return known and value == condition.is_


def _matches_any(value: Any, options: list[Any]) -> bool:
    # A list answer (exam_subjects) matches when any of its items is listed.
    if isinstance(value, list):
        return any(item in options for item in value)
    return value in options


def applies(spec: SlotSpec, answers: dict[str, Any]) -> bool:
    """Whether the question for ``spec`` matters given ``answers``."""
    return spec.ask_if is None or holds(spec.ask_if, answers)


def next_slot(flow: IntakeFlow, state: IntakeState, prefer: str | None = None) -> str | None:
    """The next question to ask, in flow order; ``prefer`` first when it still needs an answer."""
    if prefer and flow.has_slot(prefer):
        spec = flow.slot(prefer)
        if applies(spec, state.answers) and not state.is_settled(prefer):
            return prefer
    for spec in flow.slots:
        if applies(spec, state.answers) and not state.is_settled(spec.slot):
            return spec.slot
    return None


def stale_after_change(flow: IntakeFlow, state: IntakeState, changed: set[str]) -> list[str]:
    """Slots to forget after ``changed`` slots got new answers.

    A slot with an explicit ``depends_on`` on a changed slot is forgotten so it is asked again; a slot
    whose ``ask_if`` no longer holds is forgotten because it no longer matters. Other answers stay.
    Works to a fixpoint, because forgetting one answer can make another one stale.
    """
    forgotten: list[str] = []
    frontier = set(changed)
    while frontier:
        answers = {k: v for k, v in state.answers.items() if k not in forgotten}
        newly: set[str] = set()
        for spec in flow.slots:
            if spec.slot in forgotten or spec.slot in changed or not state.is_settled(spec.slot):
                continue
            if not spec.dependencies() & frontier:
                continue
            if set(spec.depends_on) & frontier or not applies(spec, answers):
                newly.add(spec.slot)
        forgotten.extend(s.slot for s in flow.slots if s.slot in newly)
        frontier = newly
    return forgotten
