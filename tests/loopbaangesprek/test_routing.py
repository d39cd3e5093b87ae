"""Routing table: the own-bestuur exclusion under every condition, then expertise, place, load, round-robin."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.coaching import (
    ABSENT,
    FULL,
    INACTIVE,
    OWN_BESTUUR,
    TRIED,
    UNKNOWN_BESTUUR,
    CoachInfo,
    RequestInfo,
    expected_contact_date,
    route,
    tags_from_wish,
)
from matching.workdays import add_working_days

TODAY = date(2026, 11, 25)  # a Wednesday
OWN = "bestuur-own"


def coach(cid: str, bestuur: str = "bestuur-x", **kw) -> CoachInfo:  # type: ignore[no-untyped-def]
    values = {"expertise": ("leiderschap",), "subregio_id": "utrecht-stad", "capacity_per_week": 2}
    values.update(kw)
    return CoachInfo(id=cid, bestuur_id=bestuur, **values)  # type: ignore[arg-type]


def req(**kw) -> RequestInfo:  # type: ignore[no-untyped-def]
    values = {"bestuur_id": OWN, "tags": ("leiderschap",), "subregio_id": "utrecht-stad"}
    values.update(kw)
    return RequestInfo(**values)  # type: ignore[arg-type]


# Every way the others can be unavailable while an own-bestuur coach fits perfectly.
OTHERS_UNAVAILABLE = {
    "no other coaches": [],
    "others full": [coach("o1", load_this_week=2), coach("o2", capacity_per_week=0)],
    "others absent": [coach("o1", absent_until=date(2026, 12, 31))],
    "others inactive": [coach("o1", active=False)],
    "others tried": [coach("o1")],
    "mixed": [coach("o1", load_this_week=5), coach("o2", active=False), coach("o3", absent_until=TODAY)],
}


@pytest.mark.parametrize("case", list(OTHERS_UNAVAILABLE))
@pytest.mark.parametrize("own_fit", ["perfect", "only_capacity", "same_subregio_starter"])
def test_own_bestuur_never_chosen_the_request_waits(case: str, own_fit: str) -> None:
    own = {
        "perfect": coach("own1", OWN, expertise=("leiderschap", "uitstroom"), capacity_per_week=10),
        "only_capacity": coach("own1", OWN, expertise=(), capacity_per_week=50),
        "same_subregio_starter": coach("own1", OWN, expertise=("starters en inductie",)),
    }[own_fit]
    request = req(tried=frozenset({"o1"}) if case == "others tried" else frozenset(), starter=True)
    routing = route(request, [own, coach("own2", OWN), *OTHERS_UNAVAILABLE[case]], today=TODAY)
    assert routing.chosen is None and routing.waits
    assert routing.excluded["own1"] == OWN_BESTUUR and routing.excluded["own2"] == OWN_BESTUUR
    assert all(c.coach_id not in ("own1", "own2") for c in routing.ranked)


def test_own_bestuur_is_checked_before_every_other_rule() -> None:
    # Even an own-bestuur coach who is also full, absent and inactive is excluded as own bestuur.
    own = coach("own", OWN, load_this_week=9, absent_until=TODAY, active=False)
    assert route(req(), [own], today=TODAY).excluded == {"own": OWN_BESTUUR}


def test_unknown_bestuur_is_never_routed() -> None:
    routing = route(req(bestuur_id=None), [coach("a"), coach("b", bestuur=OWN)], today=TODAY)
    assert routing.waits
    assert set(routing.excluded.values()) == {UNKNOWN_BESTUUR}


@pytest.mark.parametrize(("other", "rule"), [
    (coach("o", load_this_week=2), FULL),
    (coach("o", active=False), INACTIVE),
    (coach("o", absent_until=TODAY), ABSENT),
    (coach("o", absent_from=date(2026, 11, 20), absent_until=date(2026, 11, 30)), ABSENT),
])
def test_hard_rules_name_the_reason(other: CoachInfo, rule: str) -> None:
    assert route(req(), [other], today=TODAY).excluded == {"o": rule}


def test_planned_absence_in_the_future_does_not_exclude_today() -> None:
    later = coach("o", absent_from=date(2026, 12, 1), absent_until=date(2026, 12, 10))
    assert route(req(), [later], today=TODAY).chosen.coach_id == "o"  # type: ignore[union-attr]


def test_tried_coach_is_skipped_and_the_next_is_chosen() -> None:
    routing = route(req(tried=frozenset({"a"})), [coach("a"), coach("b")], today=TODAY)
    assert routing.excluded == {"a": TRIED}
    assert routing.chosen.coach_id == "b"  # type: ignore[union-attr]


def test_expertise_beats_place_and_load() -> None:
    near_busy = coach("near", expertise=(), load_this_week=0)
    expert_far = coach("expert", expertise=("leiderschap",), subregio_id="amersfoort-eemland", load_this_week=1)
    assert route(req(), [near_busy, expert_far], today=TODAY).chosen.coach_id == "expert"  # type: ignore[union-attr]


def test_starter_adds_the_starter_tag() -> None:
    starter_coach = coach("s", expertise=("starters en inductie",))
    routing = route(req(tags=(), starter=True), [coach("l"), starter_coach], today=TODAY)
    assert routing.chosen.coach_id == "s"  # type: ignore[union-attr]
    assert routing.wanted_tags == {"starters en inductie": 1.0}


def test_free_text_wish_with_typos_finds_the_tag() -> None:
    assert "vitaliteit en verzuim" in tags_from_wish("Ik ben overspanen door de werkdurk")
    assert "overstap po-vo-mbo" in tags_from_wish("misschien naar het mbo")
    assert tags_from_wish("zie maar, geen idee") == {}
    routing = route(req(tags=(), wish="Ik wil directeur worden"), [coach("v", expertise=("vitaliteit en verzuim",)),
                                                                    coach("l")], today=TODAY)
    assert routing.chosen.coach_id == "l"  # type: ignore[union-attr]
    assert 0 < routing.wanted_tags["leiderschap"] < 1  # read from the wish weighs less than a ticked tag


def test_same_subregio_then_near_then_far() -> None:
    far = coach("far", subregio_id="amersfoort-eemland", lat=52.35, lon=5.62)  # about 45 km
    near = coach("near", subregio_id="utrecht-west", lat=52.08, lon=5.0)
    same = coach("same", subregio_id="utrecht-stad", lat=52.09, lon=5.12, load_this_week=1)
    request = req(lat=52.09, lon=5.12)
    assert route(request, [far, near, same], today=TODAY).chosen.coach_id == "same"  # type: ignore[union-attr]
    assert route(request, [far, near], today=TODAY).chosen.coach_id == "near"  # type: ignore[union-attr]


def test_least_loaded_by_ratio_then_round_robin_then_id() -> None:
    busy = coach("busy", load_this_week=1, capacity_per_week=2)
    free = coach("free", load_this_week=1, capacity_per_week=4)
    assert route(req(), [busy, free], today=TODAY).chosen.coach_id == "free"  # type: ignore[union-attr]
    recent = coach("recent", last_assigned_at=datetime(2026, 11, 24, tzinfo=UTC))
    longer_ago = coach("longer", last_assigned_at=datetime(2026, 11, 1, tzinfo=UTC))
    never = coach("never")
    assert route(req(), [recent, longer_ago], today=TODAY).chosen.coach_id == "longer"  # type: ignore[union-attr]
    assert route(req(), [recent, longer_ago, never], today=TODAY).chosen.coach_id == "never"  # type: ignore[union-attr]
    assert route(req(), [coach("b"), coach("a")], today=TODAY).chosen.coach_id == "a"  # type: ignore[union-attr]


def test_round_robin_spreads_equal_coaches() -> None:
    coaches = [coach(c) for c in ("a", "b", "c")]
    chosen = []
    for hour in range(6):
        pick = route(req(), coaches, today=TODAY).chosen.coach_id  # type: ignore[union-attr]
        chosen.append(pick)
        coaches = [CoachInfo(**{**c.__dict__, "last_assigned_at": datetime(2026, 11, 25, hour, tzinfo=UTC)})
                   if c.id == pick else c for c in coaches]
    assert chosen == ["a", "b", "c", "a", "b", "c"]


def test_explanation_is_json_and_names_chosen_and_excluded() -> None:
    routing = route(req(), [coach("own", OWN), coach("ok")], today=TODAY)
    explanation = json.loads(json.dumps(routing.explanation()))
    assert explanation["gekozen"] == "ok"
    assert explanation["uitgesloten"] == {"own": OWN_BESTUUR}
    assert any("expertise: leiderschap" in r for r in explanation["redenen"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([OWN, "b2", "b3"]), st.integers(0, 3), st.integers(0, 3),
                          st.booleans(), st.booleans()), max_size=8),
       st.sampled_from([OWN, "b2", "b3"]))
def test_property_never_a_coach_of_the_own_bestuur(rows, bestuur) -> None:  # type: ignore[no-untyped-def]
    coaches = [coach(f"c{i}", b, capacity_per_week=cap, load_this_week=load, active=active,
                     absent_until=TODAY if absent else None) for i, (b, cap, load, active, absent) in enumerate(rows)]
    routing = route(req(bestuur_id=bestuur), coaches, today=TODAY)
    by_id = {c.id: c for c in coaches}
    if routing.chosen is not None:
        assert by_id[routing.chosen.coach_id].bestuur_id != bestuur
    assert all(by_id[c.coach_id].bestuur_id != bestuur for c in routing.ranked)


def test_working_days_skip_the_weekend() -> None:
    friday = datetime(2026, 11, 27, 15, tzinfo=UTC)
    assert add_working_days(friday, 2) == datetime(2026, 12, 1, 15, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert add_working_days(saturday, 1) == datetime(2026, 12, 1, 10, tzinfo=UTC)


def test_expected_date_is_honest_about_the_queue() -> None:
    assert expected_contact_date(today=TODAY, sla_working_days=2, assigned=True) == date(2026, 11, 27)
    # Nobody may ever take it (only own-bestuur coaches): no date is promised.
    assert expected_contact_date(today=TODAY, sla_working_days=2, assigned=False, eligible=[]) is None
    full = [coach("a", capacity_per_week=2, load_this_week=2), coach("b", capacity_per_week=1, load_this_week=1)]
    # Three places a week from next Monday (30 Nov): requests 1-3 then, 4-6 the week after.
    first = expected_contact_date(today=TODAY, sla_working_days=2, assigned=False, queue_ahead=0, eligible=full)
    fourth = expected_contact_date(today=TODAY, sla_working_days=2, assigned=False, queue_ahead=3, eligible=full)
    assert first == date(2026, 12, 2) and fourth == date(2026, 12, 9)
    absent = [coach("a", capacity_per_week=2, load_this_week=2, absent_until=date(2026, 12, 4))]
    assert expected_contact_date(today=TODAY, sla_working_days=2, assigned=False, eligible=absent) == date(2026, 12, 9)
