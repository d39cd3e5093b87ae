"""Property: whatever people type, every chat flow ends, and no question is shown a third time in a row.

Answers are drawn from ordinary answers, "don't know"-type answers and junk, with no regard to the question
asked (people answer another question, or nothing useful). Commands such as "stop" are left out: they are
the person's own choice to leave; so is an empty message, which only shows the question again.
Runs against the real understanding (bot.understand).
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conditions import applies
from bot.guard import MAX_IN_ALL
from bot.loopbaangesprek import LoopbaanChat, check_flow
from bot.state import STEPS
from knowledge import KNOWLEDGE_DIR
from matching.profile import SLOTS

ORDINARY = [
    "ja", "nee", "ja, klopt", "klopt helemaal", "nee hoor", "prima", "is goed", "oké", "3", "twee dagen",
    "drie à vier", "35", "ik ben 41", "amersfoort", "Utrecht, Kanaleneiland", "20 km", "een half uur fietsen",
    "hbo bedrijfskunde", "mbo 4", "havo", "master psychologie", "juf worden", "docent op het mbo, techniek",
    "iets met kinderen", "directeur worden", "accountmanager", "ik geef nu 3 dagen techniek op een vmbo",
    "geen diploma, ik ben in havo 4 gestopt", "pabo", "2004", "geen", "ja hoor 👍", "yes that's right", "nope",
    "ik woon in zeist", "basisschool", "speciaal onderwijs", "B1", "moedertaal", "uit Syrië", "naam@voorbeeld.nl",
    "06 12345678", "Stichting De Vonk", "leerkracht", "klaar",
]  # fmt: skip
UNKNOWN = ["weet ik niet", "geen idee", "nvt", "n.v.t.", "niet van toepassing", "heb ik niet", "sla over",
           "I don't know", "n/a", "skip", "weet_niet"]
JUNK = ["asdf", "???", "🙂", "....", "12345678901234", "<script>alert(1)</script>", "x" * 300, "ok ok ok ok ok",
        "\u202eevil", "hmm", "lol", "ik snap de vraag niet", "wat bedoel je?", "-"]
ANSWERS = st.lists(st.sampled_from(ORDINARY + UNKNOWN + JUNK), min_size=1, max_size=90)
TURN_LIMIT = 200


def _run(flow, answers: list[str], ends: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Answer in turn until the flow ends; the state, last turn, the question of every turn and the count."""
    state, turn = flow.start()
    keys = [turn.expecting.slot if turn.expecting else None]
    i = 0
    while not turn.done and state.phase not in ends and i < TURN_LIMIT:
        state, turn = flow.handle(state, answers[i % len(answers)])
        keys.append(turn.expecting.slot if turn.expecting else None)
        i += 1
    return state, turn, keys, i


def _no_third_in_a_row(keys: list[str | None]) -> None:
    for a, b, c in zip(keys, keys[1:], keys[2:], strict=False):
        assert not (a is not None and a == b == c), f"{a!r} shown three times in a row: {keys}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=ANSWERS)
def test_intake_always_ends_within_bound_and_never_asks_three_times(real_engine, answers):
    state, turn, keys, turns = _run(real_engine, answers, ("refused", "paused"))
    _no_third_in_a_row(keys)
    assert turn.done or state.phase == "refused", f"not finished after {turns} messages: {keys[-6:]}"
    # The questions that applied on the way (a diploma said later may make another question apply, or not).
    applicable = len({k for k in keys if k is not None})
    assert applicable <= sum(1 for spec in real_engine.flow.slots if applies(spec, state.answers)) + 2 + 4
    # Each question at most three times in all (twice in a row; once more when other answers moved and made
    # it come back), a multi-choice question aside (every pick shows it again with one more answer).
    multi = {spec.slot for spec in real_engine.flow.slots if spec.kind == "multi_choice"}
    for key in set(keys) - multi - set(STEPS) - {None}:
        assert keys.count(key) <= MAX_IN_ALL, f"{key!r} shown {keys.count(key)} times: {keys}"
    assert turns <= applicable * MAX_IN_ALL + 3, f"{turns} messages for {applicable} questions: {keys}"
    for key in keys:
        assert key is None or key in SLOTS or key in STEPS, f"expecting.slot {key!r} is not in the contract"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=ANSWERS)
def test_intake_summary_never_loops(real_engine, answers):
    """Whatever is typed at the summary, the advice comes. A correction there may bring a question back
    (a new diploma asks its field), but every question is shown a bounded number of times."""
    state, turn = real_engine.start()
    state, turn = real_engine.handle(state, "ja")
    while state.phase != "summary":
        state, turn = real_engine.handle(state, "weet ik niet")
    keys = []
    for i in range(len(real_engine.flow.slots) * 3 + 4):
        if turn.done:
            break
        state, turn = real_engine.handle(state, answers[i % len(answers)])
        keys.append(turn.expecting.slot if turn.expecting else None)
    _no_third_in_a_row(keys)
    assert turn.done or state.phase in ("refused", "paused"), keys


def _loopbaan_chat(engine):  # type: ignore[no-untyped-def]
    flow = check_flow(yaml.safe_load((KNOWLEDGE_DIR / "loopbaangesprek" / "flow.yaml").read_text(encoding="utf-8")))
    besturen = [("b1", "Stichting De Vonk"), ("b2", "PCBO Amersfoort"), ("b3", "Stichting Sterk Onderwijs")]
    return LoopbaanChat(flow, besturen, scholen=[("De Regenboog", "b1")], understanding=engine.understanding)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=ANSWERS)
def test_loopbaangesprek_chat_always_ends_and_never_asks_three_times(real_engine, answers):
    state, turn, keys, i = _run(_loopbaan_chat(real_engine), answers, ("refused", "stopped"))
    _no_third_in_a_row(keys)
    assert turn.done or state.phase in ("refused", "stopped"), f"not finished after {i} messages: {keys[-6:]}"
    steps = len({k for k in keys if k is not None})
    assert i <= steps * 2 + 3, f"{i} messages for {steps} questions: {keys}"
