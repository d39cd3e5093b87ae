"""Invalpool matching: who may cover a vervangingsvraag (hard filters, each with a reason), how well
they fit (soft scores with documented weights), and the evening-before batch plan.

Pure: the service passes plain data (dates included); nothing here reads a clock or a database. The pool
of invallers is turned into numpy arrays once (:meth:`Pool.build`), so one vraag is checked and scored
against 10,000 invallers with whole-array operations instead of a Python loop per person.

The same :func:`eligibility` and :func:`score` serve every surface: dispatch, the batch plan, and the
answers to "why this person?" and "why not me?" (:func:`explain`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from matching.geo import haversine_km_rad

DAGDELEN = ("ochtend", "middag")
GROEPEN = ("1-2", "3-4", "5-6", "7-8")
NO_REQUIREMENT = "geen"

# Hard filters in the order they are reported. Every one has a text below.
FILTERS = (
    "niet_actief", "onbeschikbaar_gemeld", "niet_beschikbaar", "bevoegdheid", "groep", "afstand",
    "goedkeuring", "ketenbepaling", "vog", "id_bewijs", "overlap",
)

# Soft-score weights; they sum to 1.0 so a score stays in 0..1.
W_DISTANCE = 0.30  # travel decides whether cover at short notice is said yes to (and is kept up)
W_CONTINUITY = 0.25  # the same face for the same class or school is what schools ask for most
W_FAIRNESS = 0.20  # spread work over the pool: fewer recent days worked scores higher
W_PREFERENCE = 0.15  # both sides: the invaller likes this school, the school put them on its list
W_TIER = 0.10  # vaste invallers (tier 1) before the flexible pool (tiers 2 and 3)
WEIGHTS = {"afstand": W_DISTANCE, "continuiteit": W_CONTINUITY, "spreiding": W_FAIRNESS,
           "voorkeur": W_PREFERENCE, "tier": W_TIER}
CONTINUITY_FULL_DAYS = 5  # five days at a school already counts as "knows the school"
LOAD_FULL_DAYS = 10  # ten days in the rolling window counts as fully loaded
MAX_TIER = 3

TEXTS: Mapping[str, Mapping[str, str]] = {
    "nl": {
        "niet_actief": "Je staat niet (meer) actief in de invalpool.",
        "onbeschikbaar_gemeld": "Je hebt je onbeschikbaar gemeld tot en met {tot}.",
        "niet_beschikbaar": "Je hebt niet opgegeven dat je dan kunt ({dagen}).",
        "bevoegdheid": "Hiervoor is een {vereist} nodig.",
        "groep": "Je hebt niet opgegeven dat je in groep {groepen} lesgeeft.",
        "afstand": "De school ligt op {km} km; je wilt maximaal {max} km reizen.",
        "goedkeuring": "Het schoolbestuur heeft je nog niet goedgekeurd voor zijn scholen.",
        "ketenbepaling": "Je hebt al {aantal} contracten bij dit bestuur; de grens is {max} (ketenbepaling).",
        "vog": "Je VOG is niet geldig op alle dagen van deze vraag.",
        "id_bewijs": "Je identiteitsbewijs is niet geldig op alle dagen van deze vraag.",
        "overlap": "Je werkt op {dagen} al op een andere school.",
        "afstand_score": "{km} km van de school",
        "continuiteit_score": "Heeft al {dagen} dag(en) op deze school gewerkt",
        "continuiteit_nieuw": "Heeft nog niet op deze school gewerkt",
        "spreiding_score": "{dagen} dag(en) gewerkt in de afgelopen weken",
        "voorkeur_invaller": "Werkt graag op deze school",
        "voorkeur_school": "Staat op de voorkeurslijst van de school",
        "voorkeur_geen": "Geen voorkeur van school of invaller",
        "tier_score": "Pooltier {tier}",
        "po_bevoegdheid": "bevoegdheid voor het basisonderwijs",
        "gym_bevoegdheid": "bevoegdheid voor bewegingsonderwijs (gym)",
    },
    "en": {
        "niet_actief": "You are not (or no longer) active in the invalpool.",
        "onbeschikbaar_gemeld": "You marked yourself unavailable until {tot}.",
        "niet_beschikbaar": "You did not say you are available then ({dagen}).",
        "bevoegdheid": "This needs a {vereist}.",
        "groep": "You did not say you teach group {groepen}.",
        "afstand": "The school is {km} km away; you want to travel at most {max} km.",
        "goedkeuring": "The school board has not approved you for its schools yet.",
        "ketenbepaling": "You already have {aantal} contracts with this board; the limit is {max} (chain rule).",
        "vog": "Your certificate of conduct (VOG) is not valid on every day of this request.",
        "id_bewijs": "Your identity document is not valid on every day of this request.",
        "overlap": "You already work at another school on {dagen}.",
        "afstand_score": "{km} km from the school",
        "continuiteit_score": "Has worked {dagen} day(s) at this school",
        "continuiteit_nieuw": "Has not worked at this school yet",
        "spreiding_score": "{dagen} day(s) worked in recent weeks",
        "voorkeur_invaller": "Likes to work at this school",
        "voorkeur_school": "Is on the school's preferred list",
        "voorkeur_geen": "No preference of school or invaller",
        "tier_score": "Pool tier {tier}",
        "po_bevoegdheid": "primary-school teaching qualification",
        "gym_bevoegdheid": "physical-education (gym) qualification",
    },
}


def _t(lang: str, key: str, **values: object) -> str:
    table = TEXTS.get(lang, TEXTS["nl"])
    return table.get(key, TEXTS["nl"].get(key, key)).format(**values)


@dataclass(frozen=True, slots=True)
class InvallerData:
    """One invaller as the matcher needs them; the service fills it from the database."""

    id: str
    lat: float
    lon: float
    max_afstand_km: float = 25.0
    bevoegdheden: frozenset[str] = frozenset()
    groepen: frozenset[str] = frozenset()
    tier: int = 1
    actief: bool = True
    vog_geldig_tot: date | None = None
    id_geldig_tot: date | None = None
    onbeschikbaar_tot: date | None = None
    goedgekeurd_door: frozenset[str] = frozenset()  # bestuur ids
    beschikbaar: frozenset[tuple[date, str]] = frozenset()  # (day, "ochtend"|"middag")
    bezet: frozenset[date] = frozenset()  # days with an assignment already
    ketencontracten: Mapping[str, int] = field(default_factory=dict)  # bestuur id -> contracts in its period
    belasting_dagen: float = 0.0  # days worked in the rolling window (fairness)
    dagen_per_school: Mapping[str, int] = field(default_factory=dict)  # school id -> days worked there
    voorkeur_scholen: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class VraagData:
    """One vervangingsvraag: where, which school days and day parts, what is needed."""

    id: str
    school_id: str
    bestuur_id: str
    lat: float
    lon: float
    dagen: tuple[date, ...]
    dagdelen: tuple[str, ...] = DAGDELEN
    groepen: tuple[str, ...] = ()
    vereist: str = "po_bevoegdheid"
    max_ketencontracten: int = 6
    voorkeur_invallers: frozenset[str] = frozenset()  # the school's preferred list


def _mask(n: int, idx: NDArray[np.int64] | None) -> NDArray[np.bool_]:
    out = np.zeros(n, dtype=bool)
    if idx is not None and len(idx):
        out[idx] = True
    return out


def _ord(day: date | None, missing: int) -> int:
    return day.toordinal() if day is not None else missing


class Pool:
    """The invallers as column arrays, built once and queried for many vragen."""

    def __init__(self, invallers: Sequence[InvallerData]) -> None:
        self.invallers = list(invallers)
        self.ids = [i.id for i in self.invallers]
        self.index = {inv_id: k for k, inv_id in enumerate(self.ids)}
        n = self.n = len(self.ids)
        lats = np.array([i.lat for i in self.invallers], dtype=np.float64)
        lons = np.array([i.lon for i in self.invallers], dtype=np.float64)
        self.lat_rad, self.lon_rad = np.radians(lats), np.radians(lons)
        self.cos_lat = np.cos(self.lat_rad)
        self.max_km = np.array([i.max_afstand_km for i in self.invallers], dtype=np.float64)
        self.tier = np.array([i.tier for i in self.invallers], dtype=np.int64)
        self.actief = np.array([i.actief for i in self.invallers], dtype=bool)
        self.vog = np.array([_ord(i.vog_geldig_tot, -1) for i in self.invallers], dtype=np.int64)
        self.id_doc = np.array([_ord(i.id_geldig_tot, -1) for i in self.invallers], dtype=np.int64)
        self.onbeschikbaar = np.array([_ord(i.onbeschikbaar_tot, -1) for i in self.invallers], dtype=np.int64)
        self.load = np.array([i.belasting_dagen for i in self.invallers], dtype=np.float64)
        self.bevoegd = self._group(((b, k) for k, i in enumerate(self.invallers) for b in i.bevoegdheden))
        self.groep = self._group(((g, k) for k, i in enumerate(self.invallers) for g in i.groepen))
        self.approved = self._group(((b, k) for k, i in enumerate(self.invallers) for b in i.goedgekeurd_door))
        self.available = self._group(((slot, k) for k, i in enumerate(self.invallers) for slot in i.beschikbaar))
        self.busy = self._group(((d, k) for k, i in enumerate(self.invallers) for d in i.bezet))
        self.prefers = self._group(((s, k) for k, i in enumerate(self.invallers) for s in i.voorkeur_scholen))
        self.chain = self._counts(((b, k, c) for k, i in enumerate(self.invallers)
                                   for b, c in i.ketencontracten.items()))
        self.history = self._counts(((s, k, c) for k, i in enumerate(self.invallers)
                                     for s, c in i.dagen_per_school.items()))
        self._empty = np.zeros(n, dtype=bool)

    @classmethod
    def build(cls, invallers: Iterable[InvallerData]) -> Pool:
        """A pool of ``invallers`` ready for :func:`eligibility`, :func:`score` and :func:`plan_batch`."""
        return cls(list(invallers))

    @staticmethod
    def _group(pairs: Iterable[tuple[object, int]]) -> dict[object, NDArray[np.int64]]:
        grouped: dict[object, list[int]] = {}
        for key, k in pairs:
            grouped.setdefault(key, []).append(k)
        return {key: np.array(v, dtype=np.int64) for key, v in grouped.items()}

    @staticmethod
    def _counts(triples: Iterable[tuple[object, int, int]]
                ) -> dict[object, tuple[NDArray[np.int64], NDArray[np.float64]]]:
        grouped: dict[object, tuple[list[int], list[float]]] = {}
        for key, k, c in triples:
            idx, counts = grouped.setdefault(key, ([], []))
            idx.append(k)
            counts.append(float(c))
        return {key: (np.array(i, dtype=np.int64), np.array(c, dtype=np.float64)) for key, (i, c) in grouped.items()}

    def mask(self, table: Mapping[object, NDArray[np.int64]], key: object) -> NDArray[np.bool_]:
        """A boolean array: True for the invallers listed under ``key`` in ``table``."""
        return _mask(self.n, table.get(key))

    def counts(self, table: Mapping[object, tuple[NDArray[np.int64], NDArray[np.float64]]],
               key: object) -> NDArray[np.float64]:
        """A count per invaller (0 when absent) from ``table`` under ``key``."""
        out = np.zeros(self.n, dtype=np.float64)
        found = table.get(key)
        if found is not None:
            out[found[0]] = found[1]
        return out


@dataclass
class Eligibility:
    """Which invallers may take the vraag; ``failed[filter]`` marks who fails each hard filter."""

    vraag: VraagData
    pool: Pool
    failed: dict[str, NDArray[np.bool_]]
    eligible: NDArray[np.bool_]
    distance_km: NDArray[np.float64]

    def reasons(self, invaller_id: str, lang: str = "nl") -> list[tuple[str, str]]:
        """The hard filters ``invaller_id`` fails, as (code, text); empty when eligible."""
        k = self.pool.index.get(invaller_id)
        if k is None:
            return [("niet_actief", _t(lang, "niet_actief"))]
        return [(code, self._text(code, k, lang)) for code in FILTERS if self.failed[code][k]]

    def _text(self, code: str, k: int, lang: str) -> str:
        v, inv = self.vraag, self.pool.invallers[k]
        if code == "onbeschikbaar_gemeld":
            return _t(lang, code, tot=inv.onbeschikbaar_tot.isoformat() if inv.onbeschikbaar_tot else "")
        if code == "niet_beschikbaar":
            missing = sorted({d for d in v.dagen for p in v.dagdelen if (d, p) not in inv.beschikbaar})
            return _t(lang, code, dagen=", ".join(d.isoformat() for d in missing))
        if code == "bevoegdheid":
            return _t(lang, code, vereist=_t(lang, v.vereist))
        if code == "groep":
            return _t(lang, code, groepen=", ".join(g for g in v.groepen if g not in inv.groepen))
        if code == "afstand":
            return _t(lang, code, km=_km(self.distance_km[k]), max=_km(inv.max_afstand_km))
        if code == "ketenbepaling":
            return _t(lang, code, aantal=inv.ketencontracten.get(v.bestuur_id, 0), max=v.max_ketencontracten)
        if code == "overlap":
            return _t(lang, code, dagen=", ".join(d.isoformat() for d in sorted(set(v.dagen) & inv.bezet)))
        return _t(lang, code)


def _km(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") if value < 10 else str(int(round(value)))


def eligibility(vraag: VraagData, pool: Pool) -> Eligibility:
    """Apply every hard filter to the whole pool at once; each filter keeps its own mask for the reasons."""
    n = pool.n
    distance = haversine_km_rad(math.radians(vraag.lat), math.radians(vraag.lon), pool.lat_rad, pool.lon_rad,
                                pool.cos_lat) if n else np.zeros(0)
    first = min(vraag.dagen).toordinal() if vraag.dagen else 0
    last = max(vraag.dagen).toordinal() if vraag.dagen else 0

    available = np.ones(n, dtype=bool)
    busy = np.zeros(n, dtype=bool)
    for day in vraag.dagen:
        for part in vraag.dagdelen:
            available &= pool.mask(pool.available, (day, part))
        busy |= pool.mask(pool.busy, day)
    no_need = vraag.vereist == NO_REQUIREMENT
    bevoegd = np.ones(n, dtype=bool) if no_need else pool.mask(pool.bevoegd, vraag.vereist)
    groep = np.ones(n, dtype=bool)
    for g in vraag.groepen:
        groep &= pool.mask(pool.groep, g)
    chain = pool.counts(pool.chain, vraag.bestuur_id)

    failed = {
        "niet_actief": ~pool.actief,
        "onbeschikbaar_gemeld": pool.onbeschikbaar >= first,
        "niet_beschikbaar": ~available,
        "bevoegdheid": ~bevoegd,
        "groep": ~groep,
        "afstand": distance > pool.max_km,
        "goedkeuring": ~pool.mask(pool.approved, vraag.bestuur_id),
        "ketenbepaling": chain >= vraag.max_ketencontracten,
        "vog": pool.vog < last,
        "id_bewijs": pool.id_doc < last,
        "overlap": busy,
    }
    eligible = np.ones(n, dtype=bool)
    for m in failed.values():
        eligible &= ~m
    return Eligibility(vraag=vraag, pool=pool, failed=failed, eligible=eligible, distance_km=distance)


@dataclass
class Scores:
    """Soft scores (0..1) per component and the weighted total, for every invaller of the pool."""

    components: dict[str, NDArray[np.float64]]
    total: NDArray[np.float64]


def score(vraag: VraagData, pool: Pool, distance_km: NDArray[np.float64]) -> Scores:
    """Weighted soft score for every invaller (meaningful for the eligible ones; see ``WEIGHTS``).

    - afstand: 1 at the school's door, 0 at the invaller's own maximum distance.
    - continuiteit: days already worked at this school, full at ``CONTINUITY_FULL_DAYS``.
    - spreiding: 1 for someone who has not worked lately, 0 at ``LOAD_FULL_DAYS`` in the rolling window.
    - voorkeur: half for the invaller's liking of the school, half for the school's preferred list.
    - tier: 1 for tier 1 down to 0 for tier ``MAX_TIER``.
    """
    max_km = np.maximum(pool.max_km, 1.0)
    components = {
        "afstand": np.clip(1.0 - distance_km / max_km, 0.0, 1.0),
        "continuiteit": np.minimum(pool.counts(pool.history, vraag.school_id) / CONTINUITY_FULL_DAYS, 1.0),
        "spreiding": 1.0 - np.minimum(pool.load / LOAD_FULL_DAYS, 1.0),
        "voorkeur": 0.5 * pool.mask(pool.prefers, vraag.school_id)
        + 0.5 * _mask(pool.n, np.array([pool.index[i] for i in vraag.voorkeur_invallers if i in pool.index],
                                       dtype=np.int64)),
        "tier": np.clip((MAX_TIER - pool.tier) / (MAX_TIER - 1), 0.0, 1.0),
    }
    total = np.zeros(pool.n, dtype=np.float64)
    for name, weight in WEIGHTS.items():
        total += weight * components[name]
    return Scores(components=components, total=total)


@dataclass(frozen=True, slots=True)
class Ranked:
    """An eligible invaller with their score and the soft reasons behind it."""

    invaller_id: str
    score: float
    distance_km: float
    components: Mapping[str, float]


def rank(vraag: VraagData, pool: Pool, *, limit: int | None = None,
         exclude: Iterable[str] = ()) -> list[Ranked]:
    """Eligible invallers for ``vraag``, best first (ties: fewer recent days first, then id)."""
    elig = eligibility(vraag, pool)
    scores = score(vraag, pool, elig.distance_km)
    keep = elig.eligible.copy()
    for inv_id in exclude:
        k = pool.index.get(inv_id)
        if k is not None:
            keep[k] = False
    candidates = np.flatnonzero(keep)
    if limit is not None and len(candidates) > limit:
        # argpartition first: only the best ``limit`` are sorted exactly.
        top = np.argpartition(-scores.total[candidates], limit - 1)[:limit]
        candidates = candidates[top]
    ids = np.array([pool.ids[k] for k in candidates], dtype=object)
    order = np.lexsort((ids, pool.load[candidates], -np.round(scores.total[candidates], 9)))
    return [
        Ranked(invaller_id=pool.ids[k], score=round(float(scores.total[k]), 4),
               distance_km=round(float(elig.distance_km[k]), 1),
               components={name: round(float(arr[k]), 4) for name, arr in scores.components.items()})
        for k in candidates[order]
    ]


def component_texts(ranked: Ranked, pool: Pool, vraag: VraagData, lang: str = "nl") -> list[str]:
    """"Why this person": one sentence per soft score."""
    inv = pool.invallers[pool.index[ranked.invaller_id]]
    days_here = inv.dagen_per_school.get(vraag.school_id, 0)
    lines = [_t(lang, "afstand_score", km=_km(ranked.distance_km)),
             _t(lang, "continuiteit_score", dagen=days_here) if days_here else _t(lang, "continuiteit_nieuw"),
             _t(lang, "spreiding_score", dagen=_km(inv.belasting_dagen))]
    if vraag.school_id in inv.voorkeur_scholen:
        lines.append(_t(lang, "voorkeur_invaller"))
    if inv.id in vraag.voorkeur_invallers:
        lines.append(_t(lang, "voorkeur_school"))
    if vraag.school_id not in inv.voorkeur_scholen and inv.id not in vraag.voorkeur_invallers:
        lines.append(_t(lang, "voorkeur_geen"))
    lines.append(_t(lang, "tier_score", tier=inv.tier))
    return lines


@dataclass(frozen=True)
class Explanation:
    """Why (not) this invaller for this vraag."""

    invaller_id: str
    eligible: bool
    hard: list[tuple[str, str]]  # failed filters (code, text)
    score: float | None
    soft: list[str]


def explain(vraag: VraagData, pool: Pool, invaller_id: str, lang: str = "nl") -> Explanation:
    """Answer "why this person?" (soft scores) or "why not me?" (every failed hard filter)."""
    elig = eligibility(vraag, pool)
    hard = elig.reasons(invaller_id, lang)
    k = pool.index.get(invaller_id)
    if hard or k is None:
        return Explanation(invaller_id, False, hard, None, [])
    scores = score(vraag, pool, elig.distance_km)
    ranked = Ranked(invaller_id, round(float(scores.total[k]), 4), round(float(elig.distance_km[k]), 1),
                    {name: round(float(a[k]), 4) for name, a in scores.components.items()})
    return Explanation(invaller_id, True, [], ranked.score, component_texts(ranked, pool, vraag, lang))


# --- batch planning -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Assignment:
    vraag_id: str
    invaller_id: str | None  # None: nobody eligible is left for this vraag
    score: float | None


@dataclass
class BatchPlan:
    assignments: list[Assignment]
    filled: int
    total_score: float


def assign(scores: NDArray[np.float64], allowed: NDArray[np.bool_]) -> list[int | None]:
    """Optimal assignment of rows (vragen) to columns (invallers): column per row, or None (unfilled).

    Maximises first the number of filled rows, then the total score (scores in 0..1). Forbidden pairs
    cost infinity; every row has a dummy "unfilled" column whose cost ``rows + 1`` exceeds what any set of
    real assignments can save, so filling one more vraag always beats a better score elsewhere.
    """
    rows, cols = scores.shape
    if rows == 0:
        return []
    # Only columns someone can take enter the solver: a 10k pool shrinks to the invallers who matter.
    useful = np.flatnonzero(allowed.any(axis=0))
    cost = np.where(allowed[:, useful], 1.0 - np.clip(scores[:, useful], 0.0, 1.0), np.inf)
    unfilled = np.full((rows, rows), float(rows + 1))
    matrix = np.hstack([cost, unfilled])
    # Imported here: scipy.optimize costs most of a second to import, and only batch planning needs it.
    from scipy.optimize import linear_sum_assignment

    row_ind, col_ind = linear_sum_assignment(matrix)
    result: list[int | None] = [None] * rows
    for r, c in zip(row_ind, col_ind, strict=True):
        if c < len(useful):
            result[r] = int(useful[c])
    return result


def score_matrix(vragen: Sequence[VraagData], pool: Pool) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Scores and eligibility of every (vraag, invaller) pair, with the same functions dispatch uses."""
    scores = np.zeros((len(vragen), pool.n), dtype=np.float64)
    allowed = np.zeros((len(vragen), pool.n), dtype=bool)
    for r, vraag in enumerate(vragen):
        elig = eligibility(vraag, pool)
        allowed[r] = elig.eligible
        if elig.eligible.any():  # nobody eligible: the row only needs its "unfilled" column
            scores[r] = score(vraag, pool, elig.distance_km).total
    return scores, allowed


def plan_batch(vragen: Sequence[VraagData], pool: Pool) -> BatchPlan:
    """The evening-before proposal: at most one vraag per invaller, as many filled as possible, best fit."""
    scores, allowed = score_matrix(vragen, pool)
    chosen = assign(scores, allowed)
    assignments = []
    total = 0.0
    for r, (vraag, k) in enumerate(zip(vragen, chosen, strict=True)):
        if k is None:
            assignments.append(Assignment(vraag.id, None, None))
        else:
            total += float(scores[r, k])
            assignments.append(Assignment(vraag.id, pool.ids[k], round(float(scores[r, k]), 4)))
    return BatchPlan(assignments=assignments, filled=sum(1 for a in assignments if a.invaller_id),
                     total_score=round(total, 4))
