"""The rule language: three-valued logic, operators, and precise syntax errors."""

from __future__ import annotations

import pytest

from matching.profile import Profile
from matching.rules import Rule, RuleSyntaxError, compile_condition, evaluate_rules

SETS = {"bachelor": ["hbo_bachelor", "wo_bachelor", "master"], "zorg": ["verpleeg", "zorg"]}


def cond(raw: object):
    return compile_condition(raw, sets=SETS)


@pytest.mark.parametrize(
    ("raw", "profile", "expected"),
    [
        ({"slot": "age", "lt": 21}, {}, None),
        ({"slot": "age", "lt": 21}, {"age": 20}, True),
        ({"slot": "age", "ge": 21}, {"age": 20}, False),
        ({"slot": "education_level", "in_set": "bachelor"}, {"education_level": "ad"}, False),
        ({"slot": "education_level", "in": ["havo", "vwo"]}, {"education_level": "vwo"}, True),
        ({"slot": "exam_subjects", "contains": "nlt"}, {"exam_subjects": ["nlt"]}, True),
        (
            {"slot": "exam_subjects", "contains_any": ["nlt", "biologie"]},
            {"exam_subjects": ["geschiedenis"]},
            False,
        ),
        ({"slot": "education_field", "matches": "zorg"}, {"education_field": "Verpleegkunde"}, True),
        ({"slot": "dutch_level", "known": False}, {}, True),
        ({"slot": "age", "lt": 21, "unknown_as": False}, {}, False),
        # Kleene: a known False decides 'all', a known True decides 'any'
        ({"all": [{"slot": "age", "lt": 21}, {"slot": "vog_ok", "eq": "nee"}]}, {"vog_ok": "ja"}, False),
        ({"all": [{"slot": "age", "lt": 21}, {"slot": "vog_ok", "eq": "nee"}]}, {"vog_ok": "nee"}, None),
        ({"any": [{"slot": "age", "lt": 21}, {"slot": "vog_ok", "eq": "nee"}]}, {"vog_ok": "nee"}, True),
        ({"any": [{"slot": "age", "lt": 21}, {"slot": "vog_ok", "eq": "nee"}]}, {"vog_ok": "ja"}, None),
        ({"not": {"slot": "age", "lt": 21}}, {}, None),
        ({"not": {"slot": "age", "lt": 21}}, {"age": 30}, True),
        (None, {}, True),
    ],
)
def test_three_valued(raw: object, profile: dict, expected: bool | None) -> None:
    assert cond(raw)(Profile(**profile)) is expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"slot": "shoe_size", "eq": 42}, "unknown slot 'shoe_size'"),
        ({"slot": "education_level", "in": ["hbo"]}, "does not fit slot 'education_level'"),
        ({"slot": "education_level", "lt": "havo"}, "compares numbers"),
        ({"slot": "age", "in_set": "nope"}, "unknown set 'nope'"),
        ({"slot": "age", "lt": 2, "gt": 1}, "exactly one operator"),
        ({"slot": "exam_subjects", "in": ["nlt"]}, "is a list"),
        ({"slot": "age", "matches": "zorg"}, "free-text slots only"),
        ({"all": []}, "non-empty list"),
        ({"all": [{"slot": "age", "lt": 1}], "fit": "no"}, "unexpected key"),
        ("age < 21", "must be a mapping"),
    ],
)
def test_syntax_errors_are_precise(raw: object, fragment: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        cond(raw)
    assert fragment in str(info.value)


def test_error_path_points_into_nesting() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        cond({"all": [{"slot": "age", "lt": 1}, {"not": {"slot": "bogus", "eq": 1}}]})
    assert info.value.path == "when.all[1].not.slot"


def _rule(when: object, **kw: object) -> Rule:
    return Rule(condition=cond(when), reason={"nl": str(kw.pop("text", "r")), "en": "r"}, **kw)


def test_first_exclusion_wins_over_unknown_and_yes() -> None:
    rules = [
        _rule({"slot": "age", "lt": 21}, fit="maybe", text="unknown age"),
        _rule({"slot": "vog_ok", "eq": "nee"}, fit="no", text="no vog", unknown="ignore"),
        _rule(None, fit="yes", text="fine"),
    ]
    verdict = evaluate_rules(rules, Profile(vog_ok="nee"), otherwise_fit="maybe", otherwise_reason={"nl": ""})
    assert verdict.fit == "no" and verdict.reasons == [{"nl": "no vog", "en": "r"}]


def test_unknown_makes_maybe_and_reports_slot() -> None:
    rules = [_rule({"slot": "age", "lt": 21}, fit="no", text="too young"), _rule(None, fit="yes")]
    verdict = evaluate_rules(rules, Profile(), otherwise_fit="yes", otherwise_reason={"nl": "o"})
    assert verdict.fit == "maybe"
    assert verdict.missing == {"age": 3.0}
    assert {"nl": "too young", "en": "r"} not in verdict.reasons  # a fact we do not know is never stated


def test_conditions_and_notes_do_not_change_fit() -> None:
    rules = [
        _rule({"slot": "age", "ge": 30}, cost_note=True, text="no studiefinanciering", unknown="ignore"),
        _rule({"slot": "education_level", "eq": "mbo4"}, conditions=("toelatingstoets-aardrijkskunde",)),
    ]
    verdict = evaluate_rules(
        rules, Profile(age=40, education_level="mbo4"), otherwise_fit="yes", otherwise_reason={"nl": "ok"}
    )
    assert verdict.fit == "yes"
    assert verdict.conditions == ["toelatingstoets-aardrijkskunde"]
    assert verdict.cost_notes == [{"nl": "no studiefinanciering", "en": "r"}]
