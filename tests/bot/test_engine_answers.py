"""Echoing understood answers and refusing answers that cannot be what was asked (real understanding)."""

from __future__ import annotations

from bot.engine import IntakeEngine
from bot.lexicon import Lexicon


def _engine(knowledge) -> IntakeEngine:  # type: ignore[no-untyped-def]
    return IntakeEngine(knowledge.intake_flow, Lexicon.build(knowledge.vocabularies, knowledge.region),
                        knowledge.vocabularies)


def _ask_until(engine: IntakeEngine, state, slot: str, answers: dict[str, str]):  # type: ignore[no-untyped-def]
    turn = engine.prompt(state)
    for _ in range(40):
        asked = turn.expecting.slot if turn.expecting else None
        if asked == slot:
            return state, turn
        choices = [c.value for c in (turn.expecting.choices if turn.expecting else [])]
        state, turn = engine.handle(state, answers.get(asked or "", choices[0] if choices else "weet ik niet"))
    raise AssertionError(f"{slot} was never asked")


def test_every_echoed_fact_says_what_it_is(knowledge) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(knowledge)
    state, _ = engine.start()
    state, _ = engine.handle(state, "ja")
    state, turn = engine.handle(state, "Ik kom uit Syrië. Daar was ik leraar Engels op een middelbare school.")
    echo = turn.messages[0].text
    assert "diploma uit het buitenland: " in echo.lower()
    assert "; " in echo  # labels with commas ("ja, van buiten de EU") stay readable


def test_yes_is_not_a_job(knowledge) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(knowledge)
    state, _ = engine.start()
    state, _ = engine.handle(state, "ja")
    state, turn = _ask_until(engine, state, "current_role", {"works_in_education": "nee",
                                                             "education_level": "hbo_bachelor"})
    state, turn = engine.handle(state, "ja")
    assert turn.expecting is not None and turn.expecting.slot == "current_role"
    assert "current_role" not in state.answers
    state, turn = engine.handle(state, "ik ben accountmanager")
    assert "current_role" in state.answers
