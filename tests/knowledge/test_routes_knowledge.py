"""The route knowledge files load, and broken copies fail with precise, complete errors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge import KNOWLEDGE_DIR
from knowledge.errors import KnowledgeErrors
from knowledge.schema.routes import CONTRACT_CONDITION_IDS, CONTRACT_ROUTE_IDS, RouteBase, load_routes

FILES = ["conditions.yaml", "institutions.yaml", "next_steps.yaml"]


def test_real_files_load() -> None:
    base = load_routes(KNOWLEDGE_DIR)
    assert isinstance(base, RouteBase)
    assert [r.id for r in base.routes][: len(CONTRACT_ROUTE_IDS)] == list(CONTRACT_ROUTE_IDS)
    assert set(CONTRACT_CONDITION_IDS) <= set(base.conditions)
    for route in base.routes:
        assert route.sources and all(s.startswith("https://") for s in route.sources)
        assert route.title.nl and route.title.en
    assert len(base.compiled) == len(base.routes)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(KNOWLEDGE_DIR / "routes", tmp_path / "routes")
    for name in FILES:
        shutil.copy(KNOWLEDGE_DIR / name, tmp_path / name)
    return tmp_path


def edit(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def errors_of(directory: Path) -> list[tuple[str, str | None, str]]:
    with pytest.raises(KnowledgeErrors) as info:
        load_routes(directory)
    return [(e.file, e.entry, e.reason) for e in info.value.errors]


def test_wrong_type(copy: Path) -> None:
    edit(copy / "routes" / "alo.yaml", lambda d: d.update(duration_months="four years"))
    errors = errors_of(copy)
    file, entry, reason = errors[0]
    assert file == "routes/alo.yaml" and entry == "alo" and "duration_months" in reason
    # a route that fails to load is then missing for the contract and for its references
    assert ("routes/", "alo", "route id of the public contract is missing") in errors


def test_unquoted_no_is_caught(copy: Path) -> None:
    path = copy / "routes" / "alo.yaml"
    path.write_text(path.read_text("utf-8").replace('fit: "yes"', "fit: yes"), "utf-8")
    file, _entry, reason = errors_of(copy)[0]
    assert file == "routes/alo.yaml" and "fit" in reason


def test_unknown_route_in_next_step(copy: Path) -> None:
    edit(copy / "next_steps.yaml", lambda d: next(s for s in d["next_steps"] if s["id"] == "duo-erkenning")
         ["routes"].append("pabo-op-de-maan"))
    errors = errors_of(copy)
    assert ("next_steps.yaml", "duo-erkenning", "unknown route id 'pabo-op-de-maan'") in errors


def test_unknown_route_in_institution(copy: Path) -> None:
    edit(copy / "institutions.yaml", lambda d: d["institutions"][0]["routes"].append("ghost-route"))
    assert ("institutions.yaml", "hu", "unknown route id 'ghost-route'") in errors_of(copy)


def test_missing_source(copy: Path) -> None:
    edit(copy / "routes" / "nt2-b2.yaml", lambda d: d.update(sources=[]))
    [(file, entry, reason)] = errors_of(copy)
    assert (file, entry) == ("routes/nt2-b2.yaml", "nt2-b2") and "no source" in reason


def test_unknown_condition_and_slot_are_all_reported(copy: Path) -> None:
    def break_rules(d: dict) -> None:
        d["conditions"].append("vliegbrevet")
        rule = {"when": {"slot": "shoe_size", "gt": 40}, "fit": "no", "reason": {"nl": "x", "en": "x"}}
        d["rules"].append(rule)

    edit(copy / "routes" / "pabo-verkort.yaml", break_rules)
    errors = errors_of(copy)
    reasons = [r for f, _e, r in errors if f == "routes/pabo-verkort.yaml"]
    assert "unknown condition id 'vliegbrevet'" in reasons
    assert any("unknown slot 'shoe_size'" in r for r in reasons)


def test_unknown_value_in_rule(copy: Path) -> None:
    edit(
        copy / "routes" / "_settings.yaml",
        lambda d: d["rule_sets"]["pabo_entry"][2]["when"].update({"in_set": "no_such_set"}),
    )
    errors = errors_of(copy)
    assert any(f == "routes/_settings.yaml" and "unknown set 'no_such_set'" in r for f, _e, r in errors)


def test_missing_contract_route(copy: Path) -> None:
    (copy / "routes" / "orientatietraject.yaml").unlink()
    errors = errors_of(copy)
    assert ("routes/", "orientatietraject", "route id of the public contract is missing") in errors
    # the institutions that offer it are reported too: every dangling reference counts
    assert ("institutions.yaml", "transvita", "unknown route id 'orientatietraject'") in errors


def test_invalid_yaml_has_line(copy: Path) -> None:
    (copy / "conditions.yaml").write_text("conditions:\n  - id: vog\n    title: [unclosed\n", "utf-8")
    errors = errors_of(copy)
    assert errors[0][0].endswith("conditions.yaml") and "invalid YAML" in errors[0][2]


def test_file_name_must_match_id(copy: Path) -> None:
    shutil.copy(copy / "routes" / "alo.yaml", copy / "routes" / "alo-extra.yaml")
    errors = errors_of(copy)
    assert ("routes/alo-extra.yaml", "alo", "file name must be <route id>.yaml") in errors
    assert ("routes/", "alo", "route id used more than once") in errors
