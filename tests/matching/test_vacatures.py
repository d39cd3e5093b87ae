"""Vacature ranking on small hand-made data: each hard filter with its reason, scores, texts, order."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

import matching.vacatures as vacatures_module
from matching.geo import haversine_km
from matching.profile import Profile
from matching.vacatures import (
    CanWork,
    Vacature,
    VacatureIndex,
    count_exclusions,
    rank_vacatures,
    synthetic_vacatures,
    why_not,
)

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)
ZEIST = (52.0893, 5.2330)  # about 7.6 km from Utrecht
VEENENDAAL = (52.0287, 5.5589)  # about 30 km from Utrecht


def vac(id: str, *, at: tuple[float, float] = UTRECHT, **changes: object) -> Vacature:
    base = Vacature(
        id=id,
        title="Groepsleerkracht groep 5",
        school=f"School {id}",
        bestuur="Bestuur A",
        place="Utrecht",
        lat=at[0],
        lon=at[1],
        role="groepsleerkracht",
        sector="po",
        subject=None,
        school_type="basisschool",
        hours_per_week=32.0,
        requires="po_bevoegdheid",
        zij_instroom_mogelijk=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def ids(matches: list) -> list[str]:
    return [m.id for m in matches]


PABO = Profile(teaching_qualification="pabo", goal_role="groepsleerkracht", place="Utrecht")
PABO_CAN = CanWork.derive(PABO, {})


# --- CanWork.derive ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualification", "expected"),
    [
        ("pabo", {"po_bevoegdheid"}),
        ("alo", {"gym_bevoegdheid"}),
        ("vo_tweedegraads", {"vo_bevoegdheid", "mbo_bevoegdheid"}),
        ("vo_eerstegraads", {"vo_bevoegdheid", "mbo_bevoegdheid"}),
        ("pdg", {"mbo_bevoegdheid"}),
        ("geen", set()),
        (None, set()),
    ],
)
def test_derive_has_from_teaching_qualification(qualification: str | None, expected: set[str]) -> None:
    can = CanWork.derive(Profile(teaching_qualification=qualification), {})
    assert can.has == expected
    assert can.while_working == frozenset()


def test_pabo_alone_does_not_give_gym() -> None:
    assert "gym_bevoegdheid" not in CanWork.derive(Profile(teaching_qualification="pabo"), {}).has


def test_derive_while_working_from_route_fits() -> None:
    can = CanWork.derive(
        Profile(), {"zij-instroom-po": "maybe", "zij-instroom-vo-mbo": "no", "pabo-voltijd": "yes"}
    )
    assert can.while_working == {"po_bevoegdheid"}
    assert can.route_for("po_bevoegdheid") == "zij-instroom-po"
    assert can.route_for("vo_bevoegdheid") is None


def test_derive_while_working_leaves_out_what_is_already_held() -> None:
    can = CanWork.derive(
        Profile(teaching_qualification="pabo"),
        {"zij-instroom-po": "yes", "leergang-bewegingsonderwijs": "yes"},
    )
    assert can.while_working == {"gym_bevoegdheid"}


def test_derive_vak_subject_only_for_vo_teachers() -> None:
    vo = CanWork.derive(
        Profile(teaching_qualification="vo_tweedegraads", goal_subject="Wiskunde"),
        {},
        subject_synonyms={"wiskunde": ["rekenen"]},
    )
    assert vo.vak_subjects == ("wiskunde", "rekenen")
    assert (
        CanWork.derive(Profile(teaching_qualification="pabo", goal_subject="muziek"), {}).vak_subjects == ()
    )


# --- hard filter: bevoegdheid -----------------------------------------------------------------


def test_bevoegdheid_filter_excludes_and_explains() -> None:
    person = Profile(goal_role="groepsleerkracht")
    can = CanWork.derive(person, {})
    index = VacatureIndex.build(
        [vac("po"), vac("oa", role="onderwijsassistent", requires="geen", title="Onderwijsassistent")]
    )
    assert ids(rank_vacatures(person, index, origin=UTRECHT, can_work=can)) == ["oa"]
    assert why_not(person, vac("po"), origin=UTRECHT, can_work=can) == [
        "Hiervoor heb je een pabo-bevoegdheid nodig. Die heb je nog niet."
    ]
    assert why_not(person, vac("oa", requires="geen"), origin=UTRECHT, can_work=can) == []


def test_holder_of_bevoegdheid_gets_the_vacature_with_reason() -> None:
    [match] = rank_vacatures(PABO, VacatureIndex.build([vac("po")]), origin=UTRECHT, can_work=PABO_CAN)
    assert "Je hebt de bevoegdheid die hier nodig is." in match.reasons
    assert match.missing == []


def test_while_working_needs_zij_instroom_at_the_school() -> None:
    person = Profile(goal_role="groepsleerkracht", place="Utrecht")
    can = CanWork.derive(person, {"zij-instroom-po": "yes"})
    index = VacatureIndex.build([vac("zi", zij_instroom_mogelijk=True), vac("closed")])
    [match] = rank_vacatures(person, index, origin=UTRECHT, can_work=can)
    assert match.id == "zi"
    assert match.zij_instroom_mogelijk is True
    assert "Zij-instroom mogelijk: je kunt hier werken en leren." in match.reasons
    assert match.missing == ["Je hebt nog geen pabo-bevoegdheid; via zij-instroom kan dat."]
    assert why_not(person, vac("closed"), origin=UTRECHT, can_work=can) == [
        "Hiervoor heb je een pabo-bevoegdheid nodig. Deze school biedt geen zij-instroom aan."
    ]


def test_while_working_counts_for_support_roles_without_zij_instroom() -> None:
    person = Profile()
    can = CanWork.derive(person, {"zij-instroom-po": "yes"})
    index = VacatureIndex.build([vac("lo", role="leraarondersteuner", title="Leraarondersteuner")])
    [match] = rank_vacatures(person, index, origin=None, can_work=can)
    assert "Je kunt hier werken terwijl je leert." in match.reasons


def test_vo_teacher_may_be_vakleerkracht_in_own_subject_only() -> None:
    person = Profile(
        teaching_qualification="vo_tweedegraads", goal_subject="muziek", goal_role="vakleerkracht"
    )
    can = CanWork.derive(person, {})
    index = VacatureIndex.build(
        [
            vac("muziek", role="vakleerkracht", subject="Muziek", title="Vakleerkracht muziek"),
            vac(
                "gym",
                role="vakleerkracht",
                subject="bewegingsonderwijs",
                requires="gym_bevoegdheid",
                title="Vakleerkracht gym",
            ),
            vac("groep"),
            vac("vo", sector="vo", role="docent_vo", requires="vo_bevoegdheid", title="Docent wiskunde"),
        ]
    )
    matches = rank_vacatures(person, index, origin=None, can_work=can)
    assert set(ids(matches)) == {"muziek", "vo"}
    muziek = next(m for m in matches if m.id == "muziek")
    assert ids(matches)[0] == "muziek"
    assert "Past bij je vak: muziek" in muziek.reasons
    assert any("eigen vak" in r for r in muziek.reasons)


# --- hard filter: distance ------------------------------------------------------------------


def test_distance_filter_uses_max_travel_km() -> None:
    person = Profile(teaching_qualification="pabo", place="Amersfoort", max_travel_km=10)
    index = VacatureIndex.build([vac("utrecht"), vac("amersfoort", at=AMERSFOORT, place="Amersfoort")])
    [match] = rank_vacatures(person, index, origin=AMERSFOORT, can_work=PABO_CAN)
    assert match.id == "amersfoort"
    assert match.distance_km == 0.0
    [reason] = why_not(person, vac("utrecht"), origin=AMERSFOORT, can_work=PABO_CAN)
    assert reason.startswith("Te ver weg: 20 km van Amersfoort.")
    assert "maximaal 10 km" in reason


def test_distance_defaults_to_25_km_when_unknown() -> None:
    index = VacatureIndex.build([vac("zeist", at=ZEIST), vac("veenendaal", at=VEENENDAAL)])
    assert ids(rank_vacatures(PABO, index, origin=UTRECHT, can_work=PABO_CAN)) == ["zeist"]


def test_distance_reason_names_the_place() -> None:
    [match] = rank_vacatures(
        PABO, VacatureIndex.build([vac("zeist", at=ZEIST)]), origin=UTRECHT, can_work=PABO_CAN
    )
    km = haversine_km(*UTRECHT, *ZEIST)
    assert match.distance_km == pytest.approx(km, abs=0.05)
    assert f"{km:.1f} km van Utrecht".replace(".", ",") in match.reasons


def test_unknown_origin_means_no_distance_filter_and_says_so() -> None:
    index = VacatureIndex.build([vac("far", at=(53.2, 6.56))])  # Groningen
    [match] = rank_vacatures(PABO, index, origin=None, can_work=PABO_CAN)
    assert match.distance_km is None
    assert "We weten niet waar je woont. Daarom keken we niet naar de reisafstand." in match.reasons
    assert why_not(PABO, vac("far", at=(53.2, 6.56)), origin=None, can_work=PABO_CAN) == []


def test_invalid_origin_counts_as_unknown() -> None:
    [match] = rank_vacatures(
        PABO, VacatureIndex.build([vac("a")]), origin=(float("nan"), 5.0), can_work=PABO_CAN
    )
    assert match.distance_km is None


# --- hard filter: hours ---------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "kept"), [(8.0, True), (12.0, True), (12.5, False), (32.0, False)])
def test_hours_filter_one_day(hours: float, kept: bool) -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=1)
    index = VacatureIndex.build([vac("a", hours_per_week=hours)])
    assert bool(rank_vacatures(person, index, origin=None, can_work=PABO_CAN)) is kept


def test_hours_reason_and_why_not() -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=1)
    assert why_not(person, vac("a", hours_per_week=32), origin=None, can_work=PABO_CAN) == [
        "Te veel uren: 32 uur per week. Jij kunt 1 dag(en), ongeveer 8 uur."
    ]
    [match] = rank_vacatures(
        person, VacatureIndex.build([vac("a", hours_per_week=8)]), origin=None, can_work=PABO_CAN
    )
    assert "8 uur per week. Dat past bij 1 dag(en) per week." in match.reasons


def test_unknown_days_means_no_hours_filter() -> None:
    index = VacatureIndex.build([vac("a", hours_per_week=40)])
    [match] = rank_vacatures(PABO, index, origin=None, can_work=PABO_CAN)
    assert "40 uur per week" in match.reasons


def test_why_not_lists_every_failing_rule() -> None:
    person = Profile(days_per_week=1, max_travel_km=5, place="Utrecht")
    reasons = why_not(person, vac("a", at=AMERSFOORT), origin=UTRECHT, can_work=CanWork())
    assert len(reasons) == 3


def test_count_exclusions() -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=2, max_travel_km=10)
    index = VacatureIndex.build(
        [
            vac("ok", hours_per_week=16),
            vac("far", at=AMERSFOORT, hours_per_week=16),
            vac("big"),
            vac("vo", requires="vo_bevoegdheid"),
        ]
    )
    counts = count_exclusions(person, index, origin=UTRECHT, can_work=PABO_CAN)
    assert counts == {"bevoegdheid": 1, "distance": 1, "hours": 2, "eligible": 1}


# --- scores and order ---------------------------------------------------------------------------


def test_role_match_ranks_first_and_is_explained() -> None:
    index = VacatureIndex.build(
        [
            vac("oa", role="onderwijsassistent", requires="geen", title="Onderwijsassistent"),
            vac("groep"),
        ]
    )
    matches = rank_vacatures(PABO, index, origin=UTRECHT, can_work=PABO_CAN)
    assert ids(matches) == ["groep", "oa"]
    assert "Past bij je wens: groepsleerkracht" in matches[0].reasons
    assert not any(r.startswith("Past bij je wens") for r in matches[1].reasons)
    assert matches[0].score > matches[1].score


def test_nearer_ranks_higher() -> None:
    index = VacatureIndex.build([vac("far", at=(52.2, 5.2)), vac("near", at=ZEIST)])
    assert ids(rank_vacatures(PABO, index, origin=UTRECHT, can_work=PABO_CAN)) == ["near", "far"]


def test_hours_close_to_offer_rank_higher() -> None:
    person = Profile(teaching_qualification="pabo", days_per_week=3)
    index = VacatureIndex.build([vac("a", hours_per_week=8), vac("b", hours_per_week=24)])
    assert ids(rank_vacatures(person, index, origin=None, can_work=PABO_CAN)) == ["b", "a"]


def test_ties_are_ordered_by_id() -> None:
    index = VacatureIndex.build([vac("c"), vac("a"), vac("b")])
    matches = rank_vacatures(PABO, index, origin=UTRECHT, can_work=PABO_CAN)
    assert ids(matches) == ["a", "b", "c"]
    assert len({m.score for m in matches}) == 1


def test_limit_and_determinism_on_shuffled_input() -> None:
    items = synthetic_vacatures(300, seed=5)
    person = Profile(goal_role="groepsleerkracht", target_sector="po", days_per_week=4)
    can = CanWork.derive(person, {"zij-instroom-po": "yes"})
    first = rank_vacatures(person, VacatureIndex.build(items), origin=UTRECHT, can_work=can, limit=7)
    shuffled = items[:]
    random.Random(2).shuffle(shuffled)
    again = rank_vacatures(person, VacatureIndex.build(shuffled), origin=UTRECHT, can_work=can, limit=7)
    assert len(first) == 7
    assert [m.model_dump() for m in first] == [m.model_dump() for m in again]
    assert [m.score for m in first] == sorted((m.score for m in first), reverse=True)


def test_fuzzy_cap_keeps_the_best(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [
        vac(f"oa{i:02d}", role="onderwijsassistent", requires="geen", title="Onderwijsassistent")
        for i in range(20)
    ]
    items.append(vac("zz-groep"))
    monkeypatch.setattr(vacatures_module, "MAX_FUZZY", 5)
    matches = rank_vacatures(PABO, VacatureIndex.build(items), origin=UTRECHT, can_work=PABO_CAN, limit=3)
    assert ids(matches) == ["zz-groep", "oa00", "oa01"]


def test_sector_and_related_school_type() -> None:
    person = Profile(teaching_qualification="pabo", target_sector="so")
    index = VacatureIndex.build(
        [
            vac("po"),
            vac("sbo", school_type="speciaal basisonderwijs"),
            vac("so", sector="so", school_type="so cluster 4"),
        ]
    )
    matches = rank_vacatures(person, index, origin=None, can_work=PABO_CAN)
    assert ids(matches) == ["so", "sbo", "po"]
    assert "In de sector die je zoekt: speciaal onderwijs" in matches[0].reasons


# --- edges, texts, validation -----------------------------------------------------------------


def test_empty_index_and_zero_limit() -> None:
    assert rank_vacatures(PABO, VacatureIndex.build([]), origin=UTRECHT, can_work=PABO_CAN) == []
    assert (
        rank_vacatures(PABO, VacatureIndex.build([vac("a")]), origin=UTRECHT, can_work=PABO_CAN, limit=0)
        == []
    )
    assert count_exclusions(PABO, VacatureIndex.build([]), origin=None, can_work=PABO_CAN)["eligible"] == 0


def test_all_null_profile_gets_only_jobs_without_bevoegdheid() -> None:
    person = Profile()
    index = VacatureIndex.build(synthetic_vacatures(200, seed=2))
    matches = rank_vacatures(person, index, origin=None, can_work=CanWork.derive(person, {}))
    assert matches
    by_id = {v.id: v for v in index.vacatures}
    assert all(by_id[m.id].requires == "geen" for m in matches)
    assert all(m.reasons for m in matches)


def test_english_texts() -> None:
    person = Profile(goal_role="groepsleerkracht")
    can = CanWork.derive(person, {"zij-instroom-po": "yes"})
    [match] = rank_vacatures(
        person,
        VacatureIndex.build([vac("a", zij_instroom_mogelijk=True)]),
        origin=None,
        can_work=can,
        language="en",
    )
    assert "Fits your wish: class teacher (groepsleerkracht)" in match.reasons
    assert match.missing[0].startswith("You do not have a primary-school teaching qualification (pabo) yet")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        rank_vacatures(PABO, VacatureIndex.build([]), origin=None, can_work=PABO_CAN, language="de")


def test_texts_can_be_overridden_per_key() -> None:
    texts = {"nl": {"bevoegd": "Je mag hier lesgeven."}}
    [match] = rank_vacatures(
        PABO, VacatureIndex.build([vac("a")]), origin=None, can_work=PABO_CAN, texts=texts
    )
    assert "Je mag hier lesgeven." in match.reasons
    assert "Past bij je wens: groepsleerkracht" in match.reasons


def test_vog_nee_is_listed_as_missing() -> None:
    person = Profile(teaching_qualification="pabo", vog_ok="nee")
    [match] = rank_vacatures(person, VacatureIndex.build([vac("a")]), origin=None, can_work=PABO_CAN)
    assert any("VOG" in m for m in match.missing)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"role": "conciërge"}, "unknown role"),
        ({"sector": "hbo"}, "unknown sector"),
        ({"requires": "rijbewijs"}, "unknown requires"),
        ({"lat": float("nan")}, "invalid coordinates"),
        ({"hours_per_week": -1.0}, "invalid hours"),
    ],
)
def test_build_rejects_bad_rows(changes: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=f"vacature 'x': {problem}"):
        VacatureIndex.build([vac("x", **changes)])


def test_build_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="duplicate id"):
        VacatureIndex.build([vac("x"), vac("x")])


