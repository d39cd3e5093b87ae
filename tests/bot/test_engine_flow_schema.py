"""The intake flow file: the real one loads and fits the vocabularies; broken ones are named precisely."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.conditions import holds
from knowledge import KNOWLEDGE_DIR
from knowledge.errors import KnowledgeErrors
from knowledge.schema.intake import Condition, check_flow_against, load_intake_flow
from matching.profile import SLOTS


def broken_copy(tmp_path: Path, change: Any) -> Path:
    """A copy of knowledge/intake with ``change(flow_data, texts_data)`` applied."""
    (tmp_path / "intake").mkdir(parents=True)
    for name in ("flow.yaml", "texts.yaml"):
        shutil.copy(KNOWLEDGE_DIR / "intake" / name, tmp_path / "intake" / name)
    flow = yaml.safe_load((tmp_path / "intake/flow.yaml").read_text(encoding="utf-8"))
    texts = yaml.safe_load((tmp_path / "intake/texts.yaml").read_text(encoding="utf-8"))
    change(flow, texts)
    (tmp_path / "intake/flow.yaml").write_text(yaml.safe_dump(flow, allow_unicode=True), encoding="utf-8")
    (tmp_path / "intake/texts.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    return tmp_path


def slot_entry(flow: dict, name: str) -> dict:
    return next(s for s in flow["slots"] if s["slot"] == name)


def reasons(tmp_path: Path, change: Any) -> list[str]:
    with pytest.raises(KnowledgeErrors) as caught:
        load_intake_flow(broken_copy(tmp_path, change))
    return [f"{e.file}|{e.entry}|{e.reason}" for e in caught.value.errors]


def test_real_flow_loads_and_matches_vocabularies(flow, vocab):
    assert check_flow_against(flow, vocab) == []
    asked = {s.slot for s in flow.slots}
    assert asked == set(SLOTS) - {"consent", "language"}  # every contract slot can be asked
    assert flow.consent.version


def test_every_question_has_an_example_in_its_reask(flow):
    for spec in flow.slots:
        assert "bijvoorbeeld" in spec.reask.nl.lower(), spec.slot
        assert "example" in spec.reask.en.lower(), spec.slot


def test_unknown_slot_is_named(tmp_path):
    found = reasons(tmp_path, lambda f, t: f["slots"].append({**slot_entry(f, "age"), "slot": "shoe_size"}))
    assert any("shoe_size" in r and "unknown slot" in r for r in found)


def test_unknown_kind_is_named(tmp_path):
    found = reasons(tmp_path, lambda f, t: slot_entry(f, "age").update(kind="slider"))
    assert any("flow.yaml|slots[" in r and "(age)" in r and "kind" in r for r in found)


def test_ask_if_on_unknown_slot(tmp_path):
    found = reasons(tmp_path, lambda f, t: slot_entry(f, "age").update(ask_if={"slot": "hair", "in": ["x"]}))
    assert any("|age|" in r and "unknown slot 'hair'" in r for r in found)


def test_dependency_cycle(tmp_path):
    def change(f: dict, t: dict) -> None:
        slot_entry(f, "goal_role")["depends_on"] = ["target_sector"]

    found = reasons(tmp_path, change)
    assert any("dependency cycle" in r for r in found)


def test_missing_english_text(tmp_path):
    found = reasons(tmp_path, lambda f, t: slot_entry(f, "age")["reask"].pop("en"))
    assert any("(age)" in r and "missing en text" in r for r in found)
    found = reasons(tmp_path / "2", lambda f, t: t["texts"].pop("help"))
    assert any("texts.help" in r and "missing text" in r for r in found)


def test_invalid_choice_value(tmp_path):
    found = reasons(tmp_path, lambda f, t: slot_entry(f, "education_level").update(choices=["hbo", "master"]))
    assert any("education_level" in r and "'hbo'" in r for r in found)


def test_check_against_vocabularies_names_unknown_values(flow, vocab):
    changed = flow.model_copy(deep=True)
    changed.slot("goal_role").vocabulary = "no_such_vocabulary"
    errors = check_flow_against(changed, vocab)
    assert errors and errors[0].entry == "goal_role" and "unknown vocabulary" in errors[0].reason


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"slot": "education_level", "in": ["havo", "vwo"]}, {"education_level": "havo"}, True),
        ({"slot": "education_level", "in": ["havo", "vwo"]}, {}, False),
        ({"slot": "goal_role", "not_in": ["docent_vo"]}, {}, True),
        ({"slot": "goal_role", "not_in": ["docent_vo"]}, {"goal_role": "docent_vo"}, False),
        ({"slot": "works_in_education", "is": True}, {"works_in_education": False}, False),
        (
            {"any": [{"slot": "age", "known": True}, {"slot": "place", "is": "Zeist"}]},
            {"place": "Zeist"},
            True,
        ),
        ({"not": {"slot": "age", "known": True}}, {"age": 30}, False),
        ({"slot": "exam_subjects", "in": ["biologie"]}, {"exam_subjects": ["nlt", "biologie"]}, True),
    ],
)
def test_conditions(condition, answers, expected):
    assert holds(Condition.model_validate(condition), answers) is expected


def test_condition_needs_one_shape():
    with pytest.raises(ValueError):
        Condition.model_validate({"slot": "age", "in": [1], "not_in": [2]})
