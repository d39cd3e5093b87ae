"""The profiles of route_cases.yaml (written from the routes brief) against the real knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge import KNOWLEDGE_DIR
from knowledge.schema.routes import RouteBase, load_routes
from matching.advice import RouteAdvice
from matching.profile import Profile
from matching.routes import advise_routes, missing_slots

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "route_cases.yaml").read_text("utf-8"))[
    "cases"
]


@pytest.fixture(scope="module")
def kb() -> RouteBase:
    return load_routes(KNOWLEDGE_DIR)


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], kb: RouteBase) -> None:
    profile = Profile(**case["profile"])
    advice = advise_routes(profile, kb)
    by_id: dict[str, RouteAdvice] = {a.id: a for a in advice}
    for route_id, fit in case.get("expect", {}).items():
        got = by_id[route_id]
        assert got.fit == fit, f"{route_id}: expected {fit}, got {got.fit} because {got.reasons}"
    for route_id, conditions in case.get("conditions", {}).items():
        missing = set(conditions) - set(by_id[route_id].conditions)
        assert not missing, f"{route_id}: conditions {by_id[route_id].conditions} lack {missing}"
    for route_id, conditions in case.get("not_conditions", {}).items():
        wrong = set(conditions) & set(by_id[route_id].conditions)
        assert not wrong, f"{route_id}: should not list {wrong}"
    for route_id, text in case.get("reason_contains", {}).items():
        assert any(text in r for r in by_id[route_id].reasons), by_id[route_id].reasons
    for route_id, text in case.get("costs_contain", {}).items():
        assert text in (by_id[route_id].costs or ""), by_id[route_id].costs
    if "top" in case:
        first = [a.id for a in advice[: case["top"]["n"]]]
        for route_id in case["top"]["routes"]:
            assert route_id in first, f"{route_id} not in the first {case['top']['n']}: {first}"
    if "missing_first" in case:
        slots = missing_slots(profile, kb)
        assert slots[: len(case["missing_first"])] == case["missing_first"], slots
