"""Odd input never crashes and stays fast: huge messages, odd Unicode, random text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.understand import detect_intent, extract, extract_edit_target
from matching.profile import validate_slot
from tests.bot.test_understand import lexicon


def test_odd_unicode_is_normalised() -> None:
    lex = lexicon()
    # zero-width space, full-width digits, combining accents, emoji
    found = extract("ik ben \uff13\uff15 jaar 😀 en woon in Amers\u200bfoort", lexicon=lex).values
    assert found["age"] == 35
    assert found["place"] == "Amersfoort"
    assert extract("ＭＢＯ ４", lexicon=lex, expecting="education_level").values["education_level"] == "mbo4"
    assert extract("Tweeënhalve dag", lexicon=lex).values["days_per_week"] == 2.5
    assert detect_intent("S\u0301TOP", lex) in (None, "stop")
    assert detect_intent("\u200bstop\u200b", lex) == "stop"


def test_a_100_kb_message_is_capped_and_fast() -> None:
    lex = lexicon()
    text = "ik ben 35 en woon in Utrecht. " + ("lorem ipsum dolor 😀\u200b " * 5000)
    assert len(text) > 100_000
    found = extract(text, lexicon=lex, expecting="place", expecting_kind="place")
    intent = detect_intent(text, lex)
    target = extract_edit_target(text, lex)
    assert found.values["age"] == 35
    assert found.values["place"] == "Utrecht"
    assert intent is None and target in (None, "age", "place")


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=300),
    st.sampled_from(
        [
            None,
            "age",
            "days_per_week",
            "place",
            "education_level",
            "keep_income",
            "exam_subjects",
            "current_role",
            "vog_ok",
            "qualification_year",
        ]
    ),
)
def test_random_text_never_crashes_and_values_are_valid(text: str, expecting: str | None) -> None:
    lex = lexicon()
    result = extract(text, lexicon=lex, expecting=expecting)
    for slot, value in result.values.items():
        assert validate_slot(slot, value) == value
        assert slot in result.evidence
    assert detect_intent(text, lex) in (
        None,
        "stop",
        "erase",
        "handoff",
        "restart",
        "edit",
        "language_en",
        "language_nl",
        "help",
    )
    extract_edit_target(text, lex)


def test_non_string_input_is_harmless() -> None:
    lex = lexicon()
    assert extract(None, lexicon=lex).values == {}  # type: ignore[arg-type]
    assert detect_intent(None, lex) is None  # type: ignore[arg-type]
    assert extract_edit_target(None, lex) is None  # type: ignore[arg-type]
