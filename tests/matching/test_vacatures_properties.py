"""Property tests: any valid Profile, origin and route fits never make the rankers raise; scores in 0..1."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.invalwerk import Invalwerk, rank_invalwerk
from matching.profile import (
    DutchLevel,
    EducationLevel,
    ExamSubject,
    ForeignDiploma,
    GoalRole,
    Language,
    Profile,
    Sector,
    TeachingQualification,
    VogStatus,
)
from matching.vacatures import CanWork, VacatureIndex, rank_vacatures, synthetic_vacatures, why_not

INDEX = VacatureIndex.build(synthetic_vacatures(400, seed=7))
ROUTE_IDS = [
    "zij-instroom-po",
    "pabo-verkort",
    "zij-instroom-vo-mbo",
    "pdg-mbo",
    "leergang-bewegingsonderwijs",
    "schoolleider-zij-instroom",
    "herintreder-po",
    "onderwijsassistent",
]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


TEXT = st.text(min_size=0, max_size=40)
profiles = st.builds(
    Profile,
    consent=maybe(st.booleans()),
    language=maybe(st.sampled_from(list(Language))),
    goal_role=maybe(st.sampled_from(list(GoalRole))),
    goal_subject=maybe(TEXT),
    target_sector=maybe(st.sampled_from(list(Sector))),
    education_level=maybe(st.sampled_from(list(EducationLevel))),
    exam_subjects=maybe(st.lists(st.sampled_from(list(ExamSubject)), max_size=4)),
    foreign_diploma=maybe(st.sampled_from(list(ForeignDiploma))),
    dutch_level=maybe(st.sampled_from(list(DutchLevel))),
    teaching_qualification=maybe(st.sampled_from(list(TeachingQualification))),
    days_per_week=maybe(st.floats(min_value=0, max_value=5)),
    place=maybe(TEXT),
    max_travel_km=maybe(st.floats(min_value=0, max_value=500)),
    vog_ok=maybe(st.sampled_from(list(VogStatus))),
)
origins = st.none() | st.tuples(
    st.floats(min_value=51.0, max_value=53.5), st.floats(min_value=3.5, max_value=7.0)
)
route_fits = st.dictionaries(st.sampled_from(ROUTE_IDS), st.sampled_from(["yes", "maybe", "no"]), max_size=4)


@settings(max_examples=150, deadline=None)
@given(profile=profiles, origin=origins, fits=route_fits, language=st.sampled_from(["nl", "en"]))
def test_rank_vacatures_never_raises_and_scores_in_range(
    profile: Profile, origin: tuple[float, float] | None, fits: dict[str, str], language: str
) -> None:
    can = CanWork.derive(profile, fits)
    matches = rank_vacatures(profile, INDEX, origin=origin, can_work=can, limit=10, language=language)
    assert len(matches) <= 10
    assert len({m.id for m in matches}) == len(matches)
    assert all(0.0 <= m.score <= 1.0 and m.reasons for m in matches)
    keys = [(-m.score, m.id) for m in matches]
    assert keys == sorted(keys)
    for m in matches:  # nothing in the list may be excluded by a hard rule
        vacature = INDEX.vacatures[[v.id for v in INDEX.vacatures].index(m.id)]
        assert why_not(profile, vacature, origin=origin, can_work=can, language=language) == []


@settings(max_examples=100, deadline=None)
@given(
    profile=profiles,
    origin=origins,
    has=st.frozensets(st.sampled_from(["po_bevoegdheid", "gym_bevoegdheid", "vo_bevoegdheid"])),
    urgent=st.lists(st.booleans(), min_size=0, max_size=6),
)
def test_rank_invalwerk_never_raises_and_scores_in_range(
    profile: Profile, origin: tuple[float, float] | None, has: frozenset[str], urgent: list[bool]
) -> None:
    items = [
        Invalwerk(
            id=f"i{n}",
            title="Invaller",
            school="S",
            place="Utrecht",
            lat=52.0 + n / 50,
            lon=5.0 + n / 40,
            sector="po",
            groepen=(str(n + 1),),
            requires="po_bevoegdheid" if n % 2 else "gym_bevoegdheid",
            days=tuple(f"2025-03-{d:02d}" for d in range(3, 3 + n % 4)),
            hours=float(4 * (n % 4)),
            urgent=flag,
        )
        for n, flag in enumerate(urgent)
    ]
    matches = rank_invalwerk(profile, items, origin=origin, can_work=CanWork(has=has))
    if not has:
        assert matches == []
    assert all(0.0 <= m.score <= 1.0 and m.reasons for m in matches)
    keys = [(-m.score, m.id) for m in matches]
    assert keys == sorted(keys)
