"""Properties of the route advice that hold for every valid profile, including the all-null one."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import KNOWLEDGE_DIR
from knowledge.schema.routes import RouteBase, load_routes
from matching.next_steps import next_steps
from matching.profile import (
    DutchLevel,
    EducationLevel,
    ExamSubject,
    ForeignDiploma,
    GoalRole,
    Profile,
    Sector,
    TeachingQualification,
    VogStatus,
)
from matching.routes import advise_routes, missing_slots

KB: RouteBase = load_routes(KNOWLEDGE_DIR)


def _opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


def _enum(enum: type) -> st.SearchStrategy:
    return _opt(st.sampled_from([e.value for e in enum]))


WORDS = ["pedagogiek", "verpleegkunde", "wiskunde", "bewegingsonderwijs", "manager", "x"]
TEXT = _opt(st.sampled_from(WORDS))

profiles = st.builds(
    Profile,
    goal_role=_enum(GoalRole),
    goal_subject=TEXT,
    target_sector=_enum(Sector),
    education_level=_enum(EducationLevel),
    education_field=TEXT,
    exam_subjects=_opt(st.lists(st.sampled_from([e.value for e in ExamSubject]), max_size=4)),
    foreign_diploma=_enum(ForeignDiploma),
    foreign_teaching_qualification=_opt(st.booleans()),
    dutch_level=_enum(DutchLevel),
    teaching_qualification=_enum(TeachingQualification),
    qualification_year=_opt(st.integers(1960, 2030)),
    works_in_education=_opt(st.booleans()),
    current_role=TEXT,
    enrolled_teacher_education=_opt(st.booleans()),
    keep_income=_opt(st.booleans()),
    days_per_week=_opt(st.floats(0, 5)),
    age=_opt(st.integers(14, 100)),
    vog_ok=_enum(VogStatus),
    has_school_board_contact=_opt(st.booleans()),
)


def _check(profile: Profile, language: str) -> None:
    advice = advise_routes(profile, KB, language=language)
    ids = [a.id for a in advice]
    assert sorted(ids) == sorted(r.id for r in KB.routes)
    assert len(ids) == len(set(ids))
    seen_no = False
    for a in advice:
        assert 0.0 <= a.score <= 1.0
        assert a.reasons and all(r.strip() for r in a.reasons)
        assert a.sources
        if a.fit == "no":
            seen_no = True
        else:
            assert not seen_no, "a 'no' route was ranked above a route that fits"
        assert set(a.conditions) <= set(KB.conditions)
    assert all(s in Profile.model_fields for s in missing_slots(profile, KB))
    assert all(isinstance(s, str) and s for s in next_steps(profile, advice, KB, language=language))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles, language=st.sampled_from(["nl", "en"]))
def test_any_profile_gets_every_route_once(profile: Profile, language: str) -> None:
    _check(profile, language)


def test_all_null_profile_is_sensible() -> None:
    profile = Profile()
    _check(profile, "nl")
    advice = {a.id: a for a in advise_routes(profile, KB)}
    assert advice["orientatietraject"].fit == "yes"
    maybes = [a for a in advice.values() if a.fit == "maybe"]
    assert len(maybes) >= len(advice) // 2
    assert all(any("nog weten" in r for r in a.reasons) for a in maybes)
    assert missing_slots(profile, KB)[0] == "education_level"
    assert next_steps(profile, list(advice.values()), KB)


def test_english_texts() -> None:
    advice = advise_routes(Profile(education_level="ad"), KB, language="en")
    zib = next(a for a in advice if a.id == "zij-instroom-po")
    assert zib.fit == "no" and "Associate degree" in zib.reasons[0] and "nodig" not in zib.reasons[0]


def test_known_answer_removes_slot_from_missing() -> None:
    before = missing_slots(Profile(), KB)
    after = missing_slots(Profile(education_level="master"), KB)
    assert "education_level" in before and "education_level" not in after
