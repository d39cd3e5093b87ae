"""Pure invalpool matching: every hard filter with its reason, the soft scores, ranking, batch planning."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from matching.invalpool import (
    FILTERS,
    WEIGHTS,
    InvallerData,
    Pool,
    VraagData,
    assign,
    eligibility,
    explain,
    plan_batch,
    rank,
)

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)  # about 20 km from Utrecht
THU, FRI = date(2026, 11, 26), date(2026, 11, 27)

VRAAG = VraagData(id="v1", school_id="s1", bestuur_id="b1", lat=UTRECHT[0], lon=UTRECHT[1], dagen=(THU,),
                  groepen=("3-4",), vereist="po_bevoegdheid", max_ketencontracten=6)


def person(id: str = "p", **changes: object) -> InvallerData:
    base = InvallerData(
        id=id, lat=UTRECHT[0], lon=UTRECHT[1], max_afstand_km=25, bevoegdheden=frozenset({"po_bevoegdheid"}),
        groepen=frozenset({"1-2", "3-4"}), tier=1, vog_geldig_tot=THU + timedelta(days=300),
        id_geldig_tot=THU + timedelta(days=300), goedgekeurd_door=frozenset({"b1"}),
        beschikbaar=frozenset({(THU, "ochtend"), (THU, "middag"), (FRI, "ochtend"), (FRI, "middag")}),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


CASES = [
    ("niet_actief", {"actief": False}, "niet (meer) actief"),
    ("onbeschikbaar_gemeld", {"onbeschikbaar_tot": THU}, "onbeschikbaar gemeld tot en met 2026-11-26"),
    ("niet_beschikbaar", {"beschikbaar": frozenset({(THU, "ochtend")})}, "niet opgegeven dat je dan kunt (2026-11-26)"),
    ("bevoegdheid", {"bevoegdheden": frozenset({"gym_bevoegdheid"})}, "bevoegdheid voor het basisonderwijs"),
    ("groep", {"groepen": frozenset({"7-8"})}, "groep 3-4"),
    ("afstand", {"lat": AMERSFOORT[0], "lon": AMERSFOORT[1], "max_afstand_km": 10}, "je wilt maximaal 10"),
    ("goedkeuring", {"goedgekeurd_door": frozenset({"b2"})}, "nog niet goedgekeurd"),
    ("ketenbepaling", {"ketencontracten": {"b1": 6}}, "al 6 contracten bij dit bestuur; de grens is 6"),
    ("vog", {"vog_geldig_tot": THU - timedelta(days=1)}, "VOG"),
    ("vog", {"vog_geldig_tot": None}, "VOG"),
    ("id_bewijs", {"id_geldig_tot": THU - timedelta(days=1)}, "identiteitsbewijs"),
    ("overlap", {"bezet": frozenset({THU})}, "Je werkt op 2026-11-26 al op een andere school"),
]


def test_every_filter_has_a_case() -> None:
    assert {code for code, _, _ in CASES} == set(FILTERS)


@pytest.mark.parametrize(("code", "changes", "phrase"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_hard_filter_excludes_with_its_own_reason(code: str, changes: dict, phrase: str) -> None:  # type: ignore[type-arg]
    pool = Pool.build([person("ok"), person("x", **changes)])
    elig = eligibility(VRAAG, pool)
    assert elig.eligible.tolist() == [True, False]
    assert elig.reasons("ok") == []
    reasons = elig.reasons("x")
    assert [c for c, _ in reasons] == [code], reasons
    assert phrase in reasons[0][1]
    assert [r.invaller_id for r in rank(VRAAG, pool)] == ["ok"]


def test_reasons_in_english_and_several_at_once() -> None:
    pool = Pool.build([person("x", actief=False, groepen=frozenset(), vog_geldig_tot=None)])
    reasons = eligibility(VRAAG, pool).reasons("x", "en")
    assert [c for c, _ in reasons] == ["niet_actief", "groep", "vog"]
    assert "group 3-4" in reasons[1][1]


def test_filters_at_the_edges() -> None:
    # Valid on the last day is enough; unavailable until the day before is fine; chain one below the limit.
    ok = person("edge", vog_geldig_tot=THU, id_geldig_tot=THU, onbeschikbaar_tot=THU - timedelta(days=1),
                ketencontracten={"b1": 5, "b2": 9})
    assert eligibility(VRAAG, Pool.build([ok])).eligible.tolist() == [True]
    # "geen" needs no bevoegdheid at all; a vraag without groepen accepts any.
    loose = replace(VRAAG, vereist="geen", groepen=())
    bare = person("bare", bevoegdheden=frozenset(), groepen=frozenset())
    assert eligibility(loose, Pool.build([bare])).eligible.tolist() == [True]
    # A two-day vraag needs both days, and a morning-only vraag only the morning.
    two = replace(VRAAG, dagen=(THU, FRI))
    half = person("half", beschikbaar=frozenset({(THU, "ochtend"), (THU, "middag"), (FRI, "ochtend")}))
    assert eligibility(two, Pool.build([half])).eligible.tolist() == [False]
    assert eligibility(replace(two, dagdelen=("ochtend",)), Pool.build([half])).eligible.tolist() == [True]


def test_weights_sum_to_one_and_scores_stay_in_range() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    pool = Pool.build([person(f"p{i}", belasting_dagen=i, tier=1 + i % 3) for i in range(12)])
    for r in rank(VRAAG, pool):
        assert 0.0 <= r.score <= 1.0
        assert set(r.components) == set(WEIGHTS)


SCORE_CASES = [
    # (better, worse, component that decides)
    ({"lat": UTRECHT[0]}, {"lat": UTRECHT[0] + 0.1}, "afstand"),
    ({"dagen_per_school": {"s1": 5}}, {"dagen_per_school": {"s2": 5}}, "continuiteit"),
    ({"belasting_dagen": 0}, {"belasting_dagen": 8}, "spreiding"),
    ({"voorkeur_scholen": frozenset({"s1"})}, {}, "voorkeur"),
    ({"tier": 1}, {"tier": 3}, "tier"),
]


@pytest.mark.parametrize(("better", "worse", "component"), SCORE_CASES, ids=[c[2] for c in SCORE_CASES])
def test_each_soft_score_orders_two_otherwise_equal_people(better: dict, worse: dict, component: str) -> None:  # type: ignore[type-arg]
    pool = Pool.build([person("worse", **worse), person("better", **better)])
    ranked = rank(VRAAG, pool)
    assert [r.invaller_id for r in ranked] == ["better", "worse"]
    assert ranked[0].components[component] > ranked[1].components[component]
    others = set(WEIGHTS) - {component}
    assert all(ranked[0].components[c] == ranked[1].components[c] for c in others if c != "afstand" or
               component != "afstand")


def test_school_preferred_list_counts_and_ties_go_to_the_less_loaded() -> None:
    vraag = replace(VRAAG, voorkeur_invallers=frozenset({"fav"}))
    pool = Pool.build([person("a"), person("fav")])
    assert [r.invaller_id for r in rank(vraag, pool)] == ["fav", "a"]
    # Equal scores: fewer recent days first (spreiding is 0 for both at or above the cap), then id.
    pool = Pool.build([person("b", belasting_dagen=12), person("c", belasting_dagen=10),
                       person("a", belasting_dagen=15)])
    assert [r.invaller_id for r in rank(VRAAG, pool)] == ["c", "b", "a"]


def test_rank_limit_keeps_the_best_in_order() -> None:
    pool = Pool.build([person(f"p{i:02d}", lat=UTRECHT[0] + i * 0.005) for i in range(30)])
    full = rank(VRAAG, pool)
    top = rank(VRAAG, pool, limit=5)
    assert [r.invaller_id for r in top] == [r.invaller_id for r in full[:5]] == [f"p{i:02d}" for i in range(5)]
    assert [r.invaller_id for r in rank(VRAAG, pool, limit=3, exclude=["p00"])] == ["p01", "p02", "p03"]


def test_explain_why_this_person_and_why_not_me() -> None:
    pool = Pool.build([person("yes", dagen_per_school={"s1": 2}), person("no", goedgekeurd_door=frozenset())])
    why = explain(VRAAG, pool, "yes")
    assert why.eligible and why.score is not None
    assert any("2 dag(en) op deze school" in line for line in why.soft)
    why_not = explain(VRAAG, pool, "no")
    assert not why_not.eligible and [c for c, _ in why_not.hard] == ["goedkeuring"]
    assert explain(VRAAG, pool, "stranger").hard[0][0] == "niet_actief"


def test_empty_pool() -> None:
    pool = Pool.build([])
    assert rank(VRAAG, pool) == []
    assert plan_batch([VRAAG], pool).assignments[0].invaller_id is None


# --- batch planning -------------------------------------------------------------------------------------

def test_assign_known_optimum() -> None:
    scores = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.1], [0.5, 0.5, 0.5]])
    allowed = np.ones_like(scores, dtype=bool)
    # Greedy would give row 0 column 0 (0.9) and row 1 column 1 (0.2); the optimum swaps them.
    assert assign(scores, allowed) == [1, 0, 2]


def test_assign_prefers_more_filled_over_a_better_score() -> None:
    scores = np.array([[1.0, 0.0], [1.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    # Row 1 can only take column 0, so row 0 must take the poor column 1: two filled beats one perfect.
    assert assign(scores, allowed) == [1, 0]


def test_assign_forbidden_pairs_and_unfilled_rows() -> None:
    scores = np.full((3, 2), 0.5)
    allowed = np.array([[True, False], [True, False], [False, False]])
    result = assign(scores, allowed)
    assert result[2] is None
    assert sorted(r for r in result if r is not None) == [0]
    assert result.count(None) == 2
    assert assign(np.zeros((0, 4)), np.zeros((0, 4), dtype=bool)) == []


def test_plan_batch_uses_the_same_filters_and_never_gives_one_person_two_vragen() -> None:
    far = replace(VRAAG, id="far", lat=AMERSFOORT[0], lon=AMERSFOORT[1])
    gym = replace(VRAAG, id="gym", vereist="gym_bevoegdheid")
    pool = Pool.build([
        person("near", max_afstand_km=10),
        person("wide", max_afstand_km=40, lat=UTRECHT[0] + 0.05),
        person("gymmer", bevoegdheden=frozenset({"po_bevoegdheid", "gym_bevoegdheid"}), lat=UTRECHT[0] + 0.02),
    ])
    plan = plan_batch([VRAAG, far, gym], pool)
    chosen = {a.vraag_id: a.invaller_id for a in plan.assignments}
    assert chosen == {"v1": "near", "far": "wide", "gym": "gymmer"}
    assert plan.filled == 3


def test_plan_batch_matches_brute_force_on_small_random_cases() -> None:
    from itertools import permutations

    rng = np.random.default_rng(7)
    for _ in range(40):
        rows, cols = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        scores = rng.random((rows, cols)).round(3)
        allowed = rng.random((rows, cols)) < 0.6
        result = assign(scores, allowed)
        got = (sum(1 for r in result if r is not None),
               round(sum(scores[i, c] for i, c in enumerate(result) if c is not None), 6))
        best = (0, 0.0)
        options = list(range(cols)) + [None] * rows
        for perm in set(permutations(options, rows)):
            if any(c is not None and not allowed[i, c] for i, c in enumerate(perm)):
                continue
            value = (sum(1 for c in perm if c is not None),
                     round(sum(scores[i, c] for i, c in enumerate(perm) if c is not None), 6))
            best = max(best, value)
        assert got == best
