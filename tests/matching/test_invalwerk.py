"""Invalwerk ranking: only for bevoegde people; bevoegdheid, distance, days and hours filters; order."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching.invalwerk import Invalwerk, rank_invalwerk
from matching.profile import Profile
from matching.vacatures import CanWork

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)
ZEIST = (52.0893, 5.2330)

PABO = Profile(teaching_qualification="pabo", place="Utrecht")
PABO_CAN = CanWork.derive(PABO, {})


def job(id: str, *, at: tuple[float, float] = UTRECHT, **changes: object) -> Invalwerk:
    base = Invalwerk(
        id=id,
        title="Invaller groep 4",
        school=f"School {id}",
        place="Utrecht",
        lat=at[0],
        lon=at[1],
        sector="po",
        groepen=("4",),
        requires="po_bevoegdheid",
        days=("2025-03-03",),
        hours=6.0,
        urgent=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def ids(matches: list) -> list[str]:
    return [m.id for m in matches]


def test_not_bevoegd_gets_empty_list_even_with_routes() -> None:
    person = Profile(goal_role="groepsleerkracht")
    can = CanWork.derive(person, {"zij-instroom-po": "yes"})
    assert rank_invalwerk(person, [job("a"), job("b", requires="geen")], origin=UTRECHT, can_work=can) == []


def test_pabo_gets_po_work_not_gym() -> None:
    items = [job("po"), job("gym", requires="gym_bevoegdheid", title="Gymles")]
    assert ids(rank_invalwerk(PABO, items, origin=UTRECHT, can_work=PABO_CAN)) == ["po"]


def test_alo_gets_gym_work_only() -> None:
    person = Profile(teaching_qualification="alo")
    can = CanWork.derive(person, {})
    items = [job("po"), job("gym", requires="gym_bevoegdheid", title="Gymles")]
    assert ids(rank_invalwerk(person, items, origin=UTRECHT, can_work=can)) == ["gym"]


def test_distance_filter_and_reason() -> None:
    person = Profile(teaching_qualification="pabo", place="Utrecht", max_travel_km=10)
    items = [job("amersfoort", at=AMERSFOORT), job("zeist", at=ZEIST)]
    [match] = rank_invalwerk(person, items, origin=UTRECHT, can_work=PABO_CAN)
    assert match.id == "zeist"
    assert match.reasons[0] == "7,6 km van Utrecht"


def test_default_max_distance_is_25_km() -> None:
    items = [job("groningen", at=(53.2, 6.56)), job("zeist", at=ZEIST)]
    assert ids(rank_invalwerk(PABO, items, origin=UTRECHT, can_work=PABO_CAN)) == ["zeist"]


def test_unknown_origin_keeps_everything_and_says_so() -> None:
    [match] = rank_invalwerk(PABO, [job("far", at=(53.2, 6.56))], origin=None, can_work=PABO_CAN)
    assert match.distance_km is None
    assert "We weten niet waar je woont. Daarom keken we niet naar de reisafstand." in match.reasons


def test_days_in_one_week_against_days_per_week() -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=2)
    same_week = job("same", days=("2025-03-03", "2025-03-04", "2025-03-05"), hours=18)
    two_weeks = job("spread", days=("2025-03-03", "2025-03-04", "2025-03-10", "2025-03-11"), hours=24)
    assert ids(rank_invalwerk(person, [same_week, two_weeks], origin=None, can_work=PABO_CAN)) == ["spread"]


def test_hours_filter() -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=1)
    long_day = job("long", hours=13)
    normal = job("normal", hours=8)
    assert ids(rank_invalwerk(person, [long_day, normal], origin=None, can_work=PABO_CAN)) == ["normal"]


def test_zero_days_means_no_work() -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=0)
    assert rank_invalwerk(person, [job("a")], origin=None, can_work=PABO_CAN) == []


def test_urgent_ranks_first_and_is_explained() -> None:
    items = [job("calm"), job("urgent", urgent=True)]
    matches = rank_invalwerk(PABO, items, origin=UTRECHT, can_work=PABO_CAN)
    assert ids(matches) == ["urgent", "calm"]
    assert "Spoed: de school zoekt snel iemand." in matches[0].reasons
    assert not any("Spoed" in r for r in matches[1].reasons)


def test_nearer_ranks_higher_and_ties_by_id() -> None:
    items = [job("c", at=ZEIST), job("b"), job("a")]
    assert ids(rank_invalwerk(PABO, items, origin=UTRECHT, can_work=PABO_CAN)) == ["a", "b", "c"]


def test_reasons_name_groepen_days_and_bevoegdheid() -> None:
    item = job(
        "a", groepen=("5", "6", "7"), days=("2025-03-05", "2025-03-03", "2025-03-04", "2025-03-06"), hours=24
    )
    [match] = rank_invalwerk(PABO, [item], origin=None, can_work=PABO_CAN)
    assert "Groepen 5, 6 en 7" in match.reasons
    assert "24 uur op 4 dag(en): 2025-03-03, 2025-03-04, 2025-03-05, en meer" in match.reasons
    assert "Je bent bevoegd voor dit werk." in match.reasons


def test_open_days_and_english() -> None:
    [match] = rank_invalwerk(
        PABO, [job("a", days=(), groepen=())], origin=None, can_work=PABO_CAN, language="en"
    )
    assert "6 hours; you agree the days with the school" in match.reasons
    assert "You are qualified (bevoegd) for this work." in match.reasons


def test_limit_and_empty_inputs() -> None:
    items = [job(f"j{i}") for i in range(5)]
    assert len(rank_invalwerk(PABO, items, origin=None, can_work=PABO_CAN, limit=2)) == 2
    assert rank_invalwerk(PABO, items, origin=None, can_work=PABO_CAN, limit=0) == []
    assert rank_invalwerk(PABO, [], origin=None, can_work=PABO_CAN) == []


def test_invalid_date_names_the_item() -> None:
    with pytest.raises(ValueError, match="invalwerk 'bad': invalid date"):
        rank_invalwerk(PABO, [job("bad", days=("3 maart",))], origin=None, can_work=PABO_CAN)


def test_all_null_profile_with_bevoegdheid_does_not_raise() -> None:
    matches = rank_invalwerk(
        Profile(), [job("a")], origin=None, can_work=CanWork(has=frozenset({"po_bevoegdheid"}))
    )
    assert ids(matches) == ["a"]
    assert 0.0 <= matches[0].score <= 1.0
