"""Rank vacatures for one person: numpy hard filters first, then a weighted score with reasons.

Pure: plain data in, plain data out. The service maps its database rows onto :class:`Vacature`,
builds one :class:`VacatureIndex` when the vacatures change and calls :func:`rank_vacatures` per
advice. Every match says why it fits (``reasons``) and what the person still lacks (``missing``);
:func:`why_not` says which hard rule keeps one vacature out ("why not me?").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process, utils

from matching.advice import VacatureMatch
from matching.geo import haversine_km_rad
from matching.profile import GoalRole, Profile

# --- vocabulary -------------------------------------------------------------------------------

REQUIRES: tuple[str, ...] = (
    "geen",
    "po_bevoegdheid",
    "gym_bevoegdheid",
    "vo_bevoegdheid",
    "mbo_bevoegdheid",
    "schoolleider",
)
SECTORS: tuple[str, ...] = ("po", "so", "vo", "mbo")
ROLES: tuple[str, ...] = tuple(r.value for r in GoalRole if r is not GoalRole.weet_niet)
# Support roles never teach a class alone, so learning on the job is always possible there.
SUPPORT_ROLES: frozenset[str] = frozenset({"onderwijsassistent", "leraarondersteuner"})
FITS_THAT_COUNT: frozenset[str] = frozenset({"yes", "maybe"})

# Bevoegdheden that a finished teaching qualification gives (routes-brief §0.1, §0.2, §3.11, §3.12):
# pabo → PO (gym groep 3-8 only with the leergang, which the profile cannot tell us, so not here);
# ALO → gym; a tweedegraads/eerstegraads VO bevoegdheid also counts in mbo; PDG → mbo.
QUALIFICATION_BEVOEGDHEDEN: Mapping[str, frozenset[str]] = {
    "geen": frozenset(),
    "pabo": frozenset({"po_bevoegdheid"}),
    "alo": frozenset({"gym_bevoegdheid"}),
    "vo_tweedegraads": frozenset({"vo_bevoegdheid", "mbo_bevoegdheid"}),
    "vo_eerstegraads": frozenset({"vo_bevoegdheid", "mbo_bevoegdheid"}),
    "pdg": frozenset({"mbo_bevoegdheid"}),
}
VO_QUALIFICATIONS: frozenset[str] = frozenset({"vo_tweedegraads", "vo_eerstegraads"})

# Routes that let a person work in a job while they earn its bevoegdheid (routes-brief §0.2:
# zij-instromers and "Versneld voor de klas" may teach at once; the leergang gives a temporary gym
# bevoegdheid; the PDG is followed while employed as mbo docent). Order = preference for the text.
WHILE_WORKING_ROUTES: Mapping[str, frozenset[str]] = {
    "zij-instroom-po": frozenset({"po_bevoegdheid"}),
    "pabo-verkort": frozenset({"po_bevoegdheid"}),
    "zij-instroom-vo-mbo": frozenset({"vo_bevoegdheid", "mbo_bevoegdheid"}),
    "pdg-mbo": frozenset({"mbo_bevoegdheid"}),
    "leergang-bewegingsonderwijs": frozenset({"gym_bevoegdheid"}),
    "schoolleider-zij-instroom": frozenset({"schoolleider"}),
    "schoolleider-opleiding": frozenset({"schoolleider"}),
}

# --- thresholds and weights -------------------------------------------------------------------

DEFAULT_MAX_TRAVEL_KM = 25.0  # when the person did not say; a common commuting radius in the region
HOURS_PER_DAY = 8.0  # one school day ≈ 8 hours (a 0.2 fte day)
# A school can often shave a few hours off a post, so half a day over the person's days still fits.
HOURS_SLACK = 4.0
# Fuzzy scoring is the costly step; beyond this many survivors only the best by the cheap
# (numeric) part of the score are fuzzy-scored. Keeps one call bounded on a huge index.
MAX_FUZZY = 2000
VAK_SUBJECT_MIN = 80.0  # ratio (0-100) above which a vacature's subject is "the same vak"
SUBJECT_REASON_MIN = 80.0  # subject similarity needed before we tell the person "past bij je vak"
# A related role found in the title (e.g. vakleerkracht for a would-be groepsleerkracht) earns at
# most this share of an exact role match, so an exact match always ranks higher.
RELATED_ROLE_FACTOR = 0.6
RELATED_SECTOR_FACTOR = 0.8  # same idea for a school type that sounds like the wanted sector
NEUTRAL = 0.5  # the part of the score for something the person has not told us yet
SCORE_DECIMALS = 4
CACHE_MAX_QUERIES = 512

# Weights sum to 1.0 so the score stays in 0..1.
W_ROLE = 0.30  # the role is the first thing people name and the main reason to decline a match
W_DISTANCE = 0.20  # travel time is the most named practical reason to turn a job down
W_SECTOR = 0.15  # po/so/vo/mbo wish; the bevoegdheid filter already removed impossible sectors
W_SUBJECT = 0.15  # matters for vakleerkrachten and VO/mbo docenten; neutral when no subject is known
W_HOURS = 0.10  # the hard filter removed posts that are too big; this prefers a close fit
W_ZIJ_INSTROOM = 0.10  # a person without bevoegdheid can only start where the school trains them

# --- texts ------------------------------------------------------------------------------------

TEXTS: Mapping[str, Mapping[str, str]] = {
    "nl": {
        "role_match": "Past bij je wens: {role}",
        "subject_match": "Past bij je vak: {subject}",
        "sector_match": "In de sector die je zoekt: {sector}",
        "distance": "{km} km van {place}",
        "your_place": "je woonplaats",
        "no_origin": "We weten niet waar je woont. Daarom keken we niet naar de reisafstand.",
        "hours_fit": "{hours} uur per week. Dat past bij {days} dag(en) per week.",
        "hours_more": "{hours} uur per week. Dat is iets meer dan je {days} dag(en); vraag of het kan.",
        "hours_unknown": "{hours} uur per week",
        "bevoegd": "Je hebt de bevoegdheid die hier nodig is.",
        "geen_nodig": "Hiervoor heb je geen lesbevoegdheid nodig.",
        "vak": "Met je bevoegdheid voor het voortgezet onderwijs mag je hier je eigen vak geven.",
        "zij_instroom": "Zij-instroom mogelijk: je kunt hier werken en leren.",
        "work_and_learn": "Je kunt hier werken terwijl je leert.",
        "missing_bevoegdheid": "Je hebt nog geen {bevoegdheid}; via {route} kan dat.",
        "missing_vog": "Voor werk op een school heb je een VOG nodig (Verklaring Omtrent het Gedrag).",
        "why_bevoegdheid": "Hiervoor heb je een {bevoegdheid} nodig. Die heb je nog niet.",
        "why_no_zij_instroom": (
            "Hiervoor heb je een {bevoegdheid} nodig. Deze school biedt geen zij-instroom aan."
        ),
        "why_distance": "Te ver weg: {km} km van {place}. Je wilt maximaal {max_km} km reizen.",
        "why_hours": "Te veel uren: {hours} uur per week. Jij kunt {days} dag(en), ongeveer {avail} uur.",
        "role.groepsleerkracht": "groepsleerkracht",
        "role.vakleerkracht": "vakleerkracht",
        "role.onderwijsassistent": "onderwijsassistent",
        "role.leraarondersteuner": "leraarondersteuner",
        "role.schoolleider": "schoolleider",
        "role.docent_vo": "docent voortgezet onderwijs",
        "role.docent_mbo": "docent mbo",
        "sector.po": "basisonderwijs",
        "sector.so": "speciaal onderwijs",
        "sector.vo": "voortgezet onderwijs",
        "sector.mbo": "mbo",
        "bev.po_bevoegdheid": "pabo-bevoegdheid",
        "bev.gym_bevoegdheid": "bevoegdheid voor gym (bewegingsonderwijs)",
        "bev.vo_bevoegdheid": "bevoegdheid voor het voortgezet onderwijs",
        "bev.mbo_bevoegdheid": "bevoegdheid voor het mbo",
        "bev.schoolleider": "opleiding tot schoolleider",
        "route.zij-instroom-po": "zij-instroom",
        "route.pabo-verkort": "de verkorte pabo (Versneld voor de klas)",
        "route.zij-instroom-vo-mbo": "zij-instroom",
        "route.pdg-mbo": "het pedagogisch-didactisch getuigschrift (pdg)",
        "route.leergang-bewegingsonderwijs": "de leergang bewegingsonderwijs",
        "route.schoolleider-zij-instroom": "zij-instroom als schoolleider",
        "route.schoolleider-opleiding": "een schoolleidersopleiding",
    },
    "en": {
        "role_match": "Fits your wish: {role}",
        "subject_match": "Fits your subject: {subject}",
        "sector_match": "In the sector you are looking for: {sector}",
        "distance": "{km} km from {place}",
        "your_place": "where you live",
        "no_origin": "We do not know where you live, so we did not look at travel distance.",
        "hours_fit": "{hours} hours a week. That fits {days} day(s) a week.",
        "hours_more": "{hours} hours a week. That is a bit more than your {days} day(s); ask if that is OK.",
        "hours_unknown": "{hours} hours a week",
        "bevoegd": "You hold the teaching qualification (bevoegdheid) needed here.",
        "geen_nodig": "You do not need a teaching qualification for this job.",
        "vak": "With your secondary-school qualification you may teach your own subject here.",
        "zij_instroom": "Zij-instroom possible: you can work and learn here.",
        "work_and_learn": "You can work here while you learn.",
        "missing_bevoegdheid": "You do not have a {bevoegdheid} yet; you can get it through {route}.",
        "missing_vog": "To work at a school you need a VOG (certificate of good conduct).",
        "why_bevoegdheid": "This job needs a {bevoegdheid}. You do not have one yet.",
        "why_no_zij_instroom": "This job needs a {bevoegdheid}. This school does not offer zij-instroom.",
        "why_distance": "Too far: {km} km from {place}. You want to travel at most {max_km} km.",
        "why_hours": "Too many hours: {hours} a week. You can work {days} day(s), about {avail} hours.",
        "role.groepsleerkracht": "class teacher (groepsleerkracht)",
        "role.vakleerkracht": "subject teacher (vakleerkracht)",
        "role.onderwijsassistent": "teaching assistant (onderwijsassistent)",
        "role.leraarondersteuner": "teacher support (leraarondersteuner)",
        "role.schoolleider": "head teacher (schoolleider)",
        "role.docent_vo": "secondary-school teacher",
        "role.docent_mbo": "mbo teacher",
        "sector.po": "primary education",
        "sector.so": "special education",
        "sector.vo": "secondary education",
        "sector.mbo": "mbo (vocational education)",
        "bev.po_bevoegdheid": "primary-school teaching qualification (pabo)",
        "bev.gym_bevoegdheid": "qualification to teach PE (gym)",
        "bev.vo_bevoegdheid": "secondary-school teaching qualification",
        "bev.mbo_bevoegdheid": "mbo teaching qualification",
        "bev.schoolleider": "head-teacher training",
        "route.zij-instroom-po": "zij-instroom (work while you train)",
        "route.pabo-verkort": "the shortened pabo (Versneld voor de klas)",
        "route.zij-instroom-vo-mbo": "zij-instroom (work while you train)",
        "route.pdg-mbo": "the pedagogical-didactic certificate (pdg)",
        "route.leergang-bewegingsonderwijs": "the PE course (leergang bewegingsonderwijs)",
        "route.schoolleider-zij-instroom": "zij-instroom as head teacher",
        "route.schoolleider-opleiding": "a head-teacher course",
    },
}


def texts_for(
    language: str,
    texts: Mapping[str, Mapping[str, str]] | None = None,
    *,
    base: Mapping[str, Mapping[str, str]] = TEXTS,
) -> Mapping[str, str]:
    """Return the text table for ``language``.

    ``texts`` (loaded from the knowledge base, ``knowledge/texts/matching.yaml``) overrides single keys of
    ``base`` and brings the other languages (ar, uk, tr); a key missing there falls back to English.
    """
    overrides = (texts or {}).get(language, {})
    if language not in base and not overrides:
        raise ValueError(f"unsupported language {language!r}; use 'nl' or 'en' or pass its texts")
    return {**base.get(language, base["en"]), **overrides}


# Languages that write a decimal comma (CLDR: Dutch, Ukrainian, Turkish); English and Arabic a point.
_DECIMAL_COMMA = frozenset({"nl", "uk", "tr"})


def format_km(km: float, language: str) -> str:
    """Return a distance as people read it: whole km from 10 up, one decimal below (comma where usual)."""
    text = f"{km:.0f}" if km >= 10 else f"{km:.1f}"
    return text.replace(".", ",") if language in _DECIMAL_COMMA else text


def format_number(value: float, language: str) -> str:
    """Return ``value`` without a needless ".0", with a decimal comma where the language writes one."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",") if language in _DECIMAL_COMMA else text


# --- plain data -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vacature:
    """One open vacature, as the service maps it from its database row."""

    id: str
    title: str
    school: str
    bestuur: str
    place: str
    lat: float
    lon: float
    role: str  # a goal_role value
    sector: str  # po/so/vo/mbo
    subject: str | None
    school_type: str
    hours_per_week: float
    requires: str  # one of REQUIRES
    zij_instroom_mogelijk: bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class CanWork:
    """What a person may do: bevoegdheden held now, and those they can earn while working."""

    has: frozenset[str] = frozenset()
    while_working: frozenset[str] = frozenset()
    # (bevoegdheid, route id) pairs: which route gives a while_working bevoegdheid, for the texts.
    via: tuple[tuple[str, str], ...] = ()
    # A VO teacher may teach their own subject in PO as vakleerkracht (routes-brief §3.11).
    vak_subjects: tuple[str, ...] = ()

    @classmethod
    def derive(
        cls,
        profile: Profile,
        route_fits: Mapping[str, str],
        *,
        subject_synonyms: Mapping[str, Sequence[str]] | None = None,
    ) -> CanWork:
        """Derive from the profile's teaching qualification and the route advice (route id → fit).

        ``subject_synonyms`` (e.g. from the knowledge base: wiskunde → rekenen) widens the subjects
        a VO teacher may teach in PO.
        """
        qualification = profile.teaching_qualification
        has = QUALIFICATION_BEVOEGDHEDEN.get(qualification or "geen", frozenset())
        via: list[tuple[str, str]] = []
        for route_id, bevoegdheden in WHILE_WORKING_ROUTES.items():
            if route_fits.get(route_id) not in FITS_THAT_COUNT:
                continue
            for bevoegdheid in sorted(bevoegdheden - has):
                if all(b != bevoegdheid for b, _ in via):
                    via.append((bevoegdheid, route_id))
        vak_subjects: tuple[str, ...] = ()
        if qualification in VO_QUALIFICATIONS and profile.goal_subject:
            names = [profile.goal_subject, *((subject_synonyms or {}).get(profile.goal_subject.lower(), ()))]
            vak_subjects = tuple(dict.fromkeys(utils.default_process(n) for n in names if n))
        return cls(
            has=has,
            while_working=frozenset(b for b, _ in via),
            via=tuple(via),
            vak_subjects=vak_subjects,
        )

    def route_for(self, bevoegdheid: str) -> str | None:
        """Return the route id through which ``bevoegdheid`` can be earned while working, if any."""
        return next((route for b, route in self.via if b == bevoegdheid), None)


# --- index ------------------------------------------------------------------------------------

Scorer = Callable[..., float]


def _codes(values: Sequence[str]) -> tuple[list[str], NDArray[np.int32]]:
    """Return the unique values (first-seen order) and, per item, the code of its value."""
    lookup: dict[str, int] = {}
    codes = np.fromiter(
        (lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int32, count=len(values)
    )
    return list(lookup), codes


@dataclass(frozen=True, slots=True)
class VacatureIndex:
    """Vacatures as numpy columns, built once and queried by every advice.

    Titles, subjects and school types repeat a lot ("Onderwijsassistent"), so they are stored once
    as unique preprocessed strings plus a code per vacature; fuzzy scores are computed per unique
    string and kept in a small cache keyed by the query.
    """

    vacatures: tuple[Vacature, ...]
    lat_rad: NDArray[np.float64]
    lon_rad: NDArray[np.float64]
    cos_lat: NDArray[np.float64]
    hours: NDArray[np.float64]
    role: NDArray[np.int8]
    sector: NDArray[np.int8]
    requires: NDArray[np.int8]
    zij_instroom: NDArray[np.bool_]
    support: NDArray[np.bool_]  # role is a support role (see SUPPORT_ROLES)
    id_rank: NDArray[np.int64]  # position of each id in sorted order, for deterministic ties
    titles: list[str]
    title_code: NDArray[np.int32]
    subjects: list[str]
    subject_code: NDArray[np.int32]  # -1: no subject
    school_types: list[str]
    school_type_code: NDArray[np.int32]
    # requires * 2 + (zij_instroom or support): the bevoegdheid path of a row depends only on this code
    path_code: NDArray[np.int8]
    vak_post: NDArray[np.bool_]  # a vakleerkracht post in po/so with a subject (see _vak_ok)
    _cache: dict[tuple[str, str, str], NDArray[np.float32]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, vacatures: Sequence[Vacature]) -> VacatureIndex:
        """Validate ``vacatures`` and precompute the arrays; a bad row raises ``ValueError`` naming it."""
        items = tuple(vacatures)
        seen: set[str] = set()
        for v in items:
            problem = _row_problem(v, seen)
            if problem:
                raise ValueError(f"vacature {v.id!r}: {problem}")
            seen.add(v.id)
        lat = np.radians(np.fromiter((v.lat for v in items), dtype=np.float64, count=len(items)))
        ids = [v.id for v in items]
        id_rank = np.empty(len(items), dtype=np.int64)
        id_rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(len(items))
        titles, title_code = _codes([utils.default_process(v.title) for v in items])
        subjects, subject_code = _codes(
            [utils.default_process(v.subject) if v.subject else "" for v in items]
        )
        if "" in subjects:
            subject_code = np.where(subject_code == subjects.index(""), -1, subject_code).astype(np.int32)
        school_types, school_type_code = _codes([utils.default_process(v.school_type) for v in items])
        return cls(
            vacatures=items,
            lat_rad=lat,
            lon_rad=np.radians(np.fromiter((v.lon for v in items), dtype=np.float64, count=len(items))),
            cos_lat=np.cos(lat),
            hours=np.fromiter((v.hours_per_week for v in items), dtype=np.float64, count=len(items)),
            role=np.fromiter((ROLES.index(v.role) for v in items), dtype=np.int8, count=len(items)),
            sector=np.fromiter((SECTORS.index(v.sector) for v in items), dtype=np.int8, count=len(items)),
            requires=np.fromiter(
                (REQUIRES.index(v.requires) for v in items), dtype=np.int8, count=len(items)
            ),
            zij_instroom=np.fromiter(
                (v.zij_instroom_mogelijk for v in items), dtype=np.bool_, count=len(items)
            ),
            support=np.fromiter((v.role in SUPPORT_ROLES for v in items), dtype=np.bool_, count=len(items)),
            id_rank=id_rank,
            titles=titles,
            title_code=title_code,
            subjects=subjects,
            subject_code=subject_code,
            school_types=school_types,
            school_type_code=school_type_code,
            path_code=np.fromiter(
                (REQUIRES.index(v.requires) * 2 + (v.zij_instroom_mogelijk or v.role in SUPPORT_ROLES)
                 for v in items), dtype=np.int8, count=len(items)),
            vak_post=np.fromiter(
                (v.role == "vakleerkracht" and v.sector in ("po", "so") and bool(v.subject)
                 and v.requires in ("po_bevoegdheid", "gym_bevoegdheid") for v in items),
                dtype=np.bool_, count=len(items)),
        )

    def __len__(self) -> int:
        return len(self.vacatures)

    def similarity(
        self, column: str, query: str, scorer: Scorer, codes: NDArray[np.int32]
    ) -> NDArray[np.float32]:
        """Return ``scorer(query, value)`` (0-100) for the unique ``column`` values at ``codes``.

        ``query`` must already be preprocessed. Scores are cached per unique value, so repeated
        titles and repeated queries cost one lookup.
        """
        choices: list[str] = getattr(self, column)
        key = (column, scorer.__name__, query)
        scores = self._cache.get(key)
        if scores is None:
            if len(self._cache) >= CACHE_MAX_QUERIES:
                self._cache.pop(next(iter(self._cache)), None)
            scores = np.full(len(choices), np.nan, dtype=np.float32)
            self._cache[key] = scores
        needed = np.unique(codes)
        needed = needed[np.isnan(scores[needed])]
        if needed.size:
            # Choices were preprocessed at build time, hence processor=None here.
            computed = process.cdist(
                [query], [choices[i] for i in needed], scorer=scorer, processor=None, dtype=np.float32
            )
            scores[needed] = computed[0]
        return scores[codes]


def _row_problem(v: Vacature, seen: set[str]) -> str | None:
    """Return why one vacature row cannot be indexed, or ``None``."""
    if v.id in seen:
        return "duplicate id"
    if v.role not in ROLES:
        return f"unknown role {v.role!r}"
    if v.sector not in SECTORS:
        return f"unknown sector {v.sector!r}"
    if v.requires not in REQUIRES:
        return f"unknown requires {v.requires!r}"
    if not (math.isfinite(v.lat) and math.isfinite(v.lon) and -90 <= v.lat <= 90 and -180 <= v.lon <= 180):
        return "invalid coordinates"
    if not (math.isfinite(v.hours_per_week) and v.hours_per_week >= 0):
        return "invalid hours_per_week"
    return None


# --- filters ----------------------------------------------------------------------------------

PATH_NONE, PATH_HAS, PATH_VAK, PATH_WHILE_WORKING = -1, 0, 1, 2


def _valid_origin(origin: tuple[float, float] | None) -> tuple[float, float] | None:
    """An origin with a NaN or out-of-range coordinate counts as unknown rather than failing."""
    if origin is None:
        return None
    lat, lon = origin
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lat), float(lon)


def _max_km(profile: Profile) -> float:
    return DEFAULT_MAX_TRAVEL_KM if profile.max_travel_km is None else float(profile.max_travel_km)


def _available_hours(profile: Profile) -> float | None:
    return None if profile.days_per_week is None else float(profile.days_per_week) * HOURS_PER_DAY


def _bevoegd_path(
    index: VacatureIndex, can_work: CanWork, rows: NDArray[np.intp] | slice
) -> NDArray[np.int8]:
    """Return per vacature (at ``rows``) how the person may do the job: PATH_* (-1 = not allowed)."""
    # One lookup per row: the path for each (requires, learning-on-the-job possible) code.
    table = np.full(len(REQUIRES) * 2, PATH_NONE, dtype=np.int8)
    for i, r in enumerate(REQUIRES):
        if r == "geen" or r in can_work.has:
            table[2 * i: 2 * i + 2] = PATH_HAS
        elif r in can_work.while_working:
            table[2 * i + 1] = PATH_WHILE_WORKING
    path = table[index.path_code[rows]]
    if can_work.vak_subjects and "vo_bevoegdheid" in can_work.has:
        vak = _vak_ok(index, can_work, rows) & (path != PATH_HAS)
        path[vak] = PATH_VAK
    return path


def _vak_ok(index: VacatureIndex, can_work: CanWork, rows: NDArray[np.intp] | slice) -> NDArray[np.bool_]:
    """Vakleerkracht posts in PO/SO for the VO teacher's own subject."""
    candidate = index.vak_post[rows] & (index.subject_code[rows] >= 0)
    ok = np.zeros(candidate.shape, dtype=np.bool_)
    where = np.flatnonzero(candidate)
    if where.size:
        codes = index.subject_code[rows][where]
        best = np.max(
            [index.similarity("subjects", s, fuzz.ratio, codes) for s in can_work.vak_subjects], axis=0
        )
        ok[where] = best >= VAK_SUBJECT_MIN
    return ok


def _hours_ok(hours: NDArray[np.float64], available: float | None) -> NDArray[np.bool_]:
    if available is None:
        return np.ones(hours.shape, dtype=np.bool_)
    return hours <= available + HOURS_SLACK


def _distances(
    index: VacatureIndex, origin: tuple[float, float] | None, rows: NDArray[np.intp]
) -> NDArray[np.float64]:
    if origin is None:
        return np.full(rows.shape, np.nan)
    lat, lon = origin
    return haversine_km_rad(
        math.radians(lat), math.radians(lon), index.lat_rad[rows], index.lon_rad[rows], index.cos_lat[rows]
    )


def count_exclusions(
    profile: Profile, index: VacatureIndex, *, origin: tuple[float, float] | None, can_work: CanWork
) -> dict[str, int]:
    """Return how many vacatures each hard rule excludes (independently) and how many remain.

    Keys: ``bevoegdheid``, ``distance``, ``hours``, ``eligible``. Lets the advice say e.g.
    "40 vacatures zijn verder dan 25 km".
    """
    origin = _valid_origin(origin)
    rows = np.arange(len(index))
    bevoegd = _bevoegd_path(index, can_work, rows) != PATH_NONE
    hours = _hours_ok(index.hours, _available_hours(profile))
    dist = _distances(index, origin, rows)
    near = np.ones(len(index), dtype=np.bool_) if origin is None else dist <= _max_km(profile)
    return {
        "bevoegdheid": int((~bevoegd).sum()),
        "distance": int((~near).sum()),
        "hours": int((~hours).sum()),
        "eligible": int((bevoegd & hours & near).sum()),
    }


def why_not(
    profile: Profile,
    vacature: Vacature,
    *,
    origin: tuple[float, float] | None,
    can_work: CanWork,
    language: str = "nl",
    texts: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """Return the hard rules that keep ``vacature`` out of this person's list (empty: it is allowed)."""
    t = texts_for(language, texts)
    origin = _valid_origin(origin)
    index = VacatureIndex.build([vacature])
    rows = np.arange(1)
    reasons: list[str] = []
    if _bevoegd_path(index, can_work, rows)[0] == PATH_NONE:
        bevoegdheid = t[f"bev.{vacature.requires}"]
        key = "why_no_zij_instroom" if vacature.requires in can_work.while_working else "why_bevoegdheid"
        reasons.append(t[key].format(bevoegdheid=bevoegdheid))
    if origin is not None:
        km = float(_distances(index, origin, rows)[0])
        if km > _max_km(profile):
            reasons.append(
                t["why_distance"].format(
                    km=format_km(km, language),
                    place=profile.place or t["your_place"],
                    max_km=format_number(_max_km(profile), language),
                )
            )
    available = _available_hours(profile)
    if not _hours_ok(index.hours, available)[0]:
        reasons.append(
            t["why_hours"].format(
                hours=format_number(vacature.hours_per_week, language),
                days=format_number(float(profile.days_per_week or 0), language),
                avail=format_number(available or 0.0, language),
            )
        )
    return reasons


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Wish:
    """The parts of a profile that the score compares with, preprocessed once per call."""

    role: int | None
    role_query: str | None
    subject_query: str | None
    sector: int | None
    sector_query: str | None
    available: float | None
    max_km: float

    @classmethod
    def of(cls, profile: Profile) -> _Wish:
        role = profile.goal_role if profile.goal_role in ROLES else None
        sector = profile.target_sector if profile.target_sector in SECTORS else None
        # Fuzzy queries use the Dutch labels: the titles they are compared with are Dutch.
        nl = TEXTS["nl"]
        subject = utils.default_process(profile.goal_subject) if profile.goal_subject else ""
        return cls(
            role=None if role is None else ROLES.index(role),
            role_query=None if role is None else utils.default_process(nl[f"role.{role}"]),
            subject_query=subject or None,
            sector=None if sector is None else SECTORS.index(sector),
            sector_query=None if sector is None else utils.default_process(nl[f"sector.{sector}"]),
            available=_available_hours(profile),
            max_km=_max_km(profile),
        )


def _cheap_fit(
    index: VacatureIndex,
    wish: _Wish,
    rows: NDArray[np.intp],
    dist: NDArray[np.float64],
    path: NDArray[np.int8],
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    """Score parts that need no fuzzy matching: exact role/sector, distance, hours, zij-instroom."""
    n = rows.size
    parts: dict[str, NDArray[np.float64]] = {}
    parts["role_exact"] = (
        np.zeros(n) if wish.role is None else (index.role[rows] == wish.role).astype(np.float64)
    )
    parts["sector_exact"] = (
        np.zeros(n) if wish.sector is None else (index.sector[rows] == wish.sector).astype(np.float64)
    )
    if np.isnan(dist).all():
        distance = np.full(n, NEUTRAL)
    else:
        distance = np.clip(1.0 - dist / max(wish.max_km, 1.0), 0.0, 1.0)
    if wish.available is None:
        hours = np.full(n, NEUTRAL)
    else:
        hours = np.clip(
            1.0 - np.abs(index.hours[rows] - wish.available) / max(wish.available, HOURS_PER_DAY), 0.0, 1.0
        )
    needs_training = path == PATH_WHILE_WORKING
    zij = np.where(needs_training & ~index.zij_instroom[rows], 0.0, 1.0)
    cheap = W_DISTANCE * distance + W_HOURS * hours + W_ZIJ_INSTROOM * zij
    cheap += W_ROLE * (parts["role_exact"] if wish.role is not None else NEUTRAL)
    cheap += W_SECTOR * (parts["sector_exact"] if wish.sector is not None else NEUTRAL)
    return cheap, parts


def _fuzzy_fit(
    index: VacatureIndex, wish: _Wish, rows: NDArray[np.intp], parts: dict[str, NDArray[np.float64]]
) -> NDArray[np.float64]:
    """The score parts that use rapidfuzz, on short preprocessed strings only (never descriptions)."""
    n = rows.size
    extra = np.zeros(n)
    titles = index.title_code[rows]
    if wish.role_query is not None:
        related = index.similarity("titles", wish.role_query, fuzz.partial_ratio, titles) / 100.0
        role_fit = np.maximum(parts["role_exact"], RELATED_ROLE_FACTOR * related)
        extra += W_ROLE * (role_fit - parts["role_exact"])
    if wish.sector_query is not None:
        related = index.similarity(
            "school_types", wish.sector_query, fuzz.token_set_ratio, index.school_type_code[rows]
        )
        sector_fit = np.maximum(parts["sector_exact"], RELATED_SECTOR_FACTOR * related / 100.0)
        extra += W_SECTOR * (sector_fit - parts["sector_exact"])
    if wish.subject_query is None:
        extra += W_SUBJECT * NEUTRAL
        parts["subject"] = np.full(n, np.nan)
    else:
        in_title = index.similarity("titles", wish.subject_query, fuzz.partial_ratio, titles)
        subject_codes = index.subject_code[rows]
        has_subject = subject_codes >= 0
        same = np.zeros(n, dtype=np.float32)
        if has_subject.any():
            same[has_subject] = index.similarity(
                "subjects", wish.subject_query, fuzz.ratio, subject_codes[has_subject]
            )
        subject = np.maximum(in_title, same).astype(np.float64)
        parts["subject"] = subject
        extra += W_SUBJECT * subject / 100.0
    return extra


def rank_vacatures(
    profile: Profile,
    index: VacatureIndex,
    *,
    origin: tuple[float, float] | None,
    can_work: CanWork,
    limit: int = 10,
    language: str = "nl",
    texts: Mapping[str, Mapping[str, str]] | None = None,
) -> list[VacatureMatch]:
    """Return the best ``limit`` vacatures the person may do, best first, each with its reasons.

    Hard filters (bevoegdheid now or while working, travel distance from ``origin``, hours against
    days_per_week) remove vacatures; the rest get a 0..1 score. Equal scores are ordered by id.
    ``origin`` is the person's (lat, lon); ``None`` means unknown, and then distance is not used.
    """
    t = texts_for(language, texts)
    origin = _valid_origin(origin)
    if limit <= 0 or len(index) == 0:
        return []
    wish = _Wish.of(profile)
    path_all = _bevoegd_path(index, can_work, slice(None))
    rows = np.flatnonzero((path_all != PATH_NONE) & _hours_ok(index.hours, wish.available))
    dist = _distances(index, origin, rows)
    if origin is not None:
        near = dist <= wish.max_km
        rows, dist = rows[near], dist[near]
    if rows.size == 0:
        return []
    path = path_all[rows]
    cheap, parts = _cheap_fit(index, wish, rows, dist, path)
    if rows.size > MAX_FUZZY:
        keep = np.argpartition(-cheap, MAX_FUZZY - 1)[:MAX_FUZZY]
        rows, dist, path, cheap = rows[keep], dist[keep], path[keep], cheap[keep]
        parts = {k: v[keep] for k, v in parts.items()}
    score = np.clip(np.round(cheap + _fuzzy_fit(index, wish, rows, parts), SCORE_DECIMALS), 0.0, 1.0)
    top = _top(score, index.id_rank[rows], limit)
    return [
        _match(
            profile,
            index,
            int(rows[i]),
            float(score[i]),
            float(dist[i]),
            int(path[i]),
            parts,
            i,
            can_work,
            t,
            language,
        )
        for i in top
    ]


def _top(score: NDArray[np.float64], id_rank: NDArray[np.int64], limit: int) -> NDArray[np.intp]:
    """Indices of the ``limit`` best scores, ties broken by id, as one exact integer key."""
    n_ids = int(id_rank.max()) + 1
    key = np.rint(score * 10**SCORE_DECIMALS).astype(np.int64) * n_ids + (n_ids - 1 - id_rank)
    k = min(limit, key.size)
    best = np.argpartition(-key, k - 1)[:k] if k < key.size else np.arange(key.size)
    return best[np.argsort(-key[best], kind="stable")]


def _match(
    profile: Profile,
    index: VacatureIndex,
    row: int,
    score: float,
    km: float,
    path: int,
    parts: dict[str, NDArray[np.float64]],
    i: int,
    can_work: CanWork,
    t: Mapping[str, str],
    language: str,
) -> VacatureMatch:
    """Build one match with the reasons that explain its score and the things the person lacks."""
    v = index.vacatures[row]
    reasons: list[str] = []
    missing: list[str] = []
    if parts["role_exact"][i]:
        reasons.append(t["role_match"].format(role=t[f"role.{v.role}"]))
    subject = parts.get("subject")
    if (
        subject is not None
        and not math.isnan(subject[i])
        and subject[i] >= SUBJECT_REASON_MIN
        and profile.goal_subject
    ):
        reasons.append(t["subject_match"].format(subject=profile.goal_subject))
    if parts["sector_exact"][i]:
        reasons.append(t["sector_match"].format(sector=t[f"sector.{v.sector}"]))
    if math.isnan(km):
        reasons.append(t["no_origin"])
    else:
        reasons.append(
            t["distance"].format(km=format_km(km, language), place=profile.place or t["your_place"])
        )
    reasons.append(_hours_reason(profile, v.hours_per_week, t, language))
    if path == PATH_HAS:
        reasons.append(t["geen_nodig"] if v.requires == "geen" else t["bevoegd"])
    elif path == PATH_VAK:
        reasons.append(t["vak"])
    elif path == PATH_WHILE_WORKING:
        reasons.append(t["zij_instroom"] if v.zij_instroom_mogelijk else t["work_and_learn"])
        route = can_work.route_for(v.requires)
        route_text = t.get(f"route.{route}", route or "")
        missing.append(t["missing_bevoegdheid"].format(bevoegdheid=t[f"bev.{v.requires}"], route=route_text))
    if profile.vog_ok == "nee":
        missing.append(t["missing_vog"])
    return VacatureMatch(
        id=v.id,
        title=v.title,
        school=v.school,
        place=v.place,
        distance_km=None if math.isnan(km) else round(km, 1),
        score=score,
        reasons=reasons,
        missing=missing,
        zij_instroom_mogelijk=v.zij_instroom_mogelijk,
    )


def _hours_reason(profile: Profile, hours: float, t: Mapping[str, str], language: str) -> str:
    """Say how the hours relate to the days the person can work."""
    hours_text = format_number(hours, language)
    if profile.days_per_week is None:
        return t["hours_unknown"].format(hours=hours_text)
    days_text = format_number(float(profile.days_per_week), language)
    key = "hours_more" if hours > profile.days_per_week * HOURS_PER_DAY else "hours_fit"
    return t[key].format(hours=hours_text, days=days_text)


# --- benchmark --------------------------------------------------------------------------------

_SYNTHETIC_KINDS: tuple[tuple[str, str, str, str | None, str, bool], ...] = (
    # (title pattern, role, sector, subject, requires, zij-instroom offered)
    ("Groepsleerkracht groep {a}/{b} ({fte} fte)", "groepsleerkracht", "po", None, "po_bevoegdheid", True),
    ("Leerkracht groep {a} ({fte} fte)", "groepsleerkracht", "po", None, "po_bevoegdheid", False),
    (
        "Vakleerkracht bewegingsonderwijs",
        "vakleerkracht",
        "po",
        "bewegingsonderwijs",
        "gym_bevoegdheid",
        False,
    ),
    ("Vakleerkracht muziek ({fte} fte)", "vakleerkracht", "po", "muziek", "po_bevoegdheid", False),
    ("Onderwijsassistent", "onderwijsassistent", "po", None, "geen", False),
    ("Leraarondersteuner groep {a}", "leraarondersteuner", "po", None, "geen", False),
    ("Intern begeleider", "groepsleerkracht", "po", None, "po_bevoegdheid", False),
    ("Directeur", "schoolleider", "po", None, "schoolleider", True),
    ("Leerkracht speciaal onderwijs", "groepsleerkracht", "so", None, "po_bevoegdheid", True),
    ("Docent wiskunde ({fte} fte)", "docent_vo", "vo", "wiskunde", "vo_bevoegdheid", True),
    ("Docent zorg en welzijn", "docent_mbo", "mbo", "zorg en welzijn", "mbo_bevoegdheid", True),
)
_SYNTHETIC_WEIGHTS = (0.30, 0.12, 0.06, 0.04, 0.14, 0.06, 0.04, 0.03, 0.07, 0.08, 0.06)
_SCHOOL_TYPES = {
    "po": ("basisschool", "IKC", "sbo"),
    "so": ("so cluster 4", "speciaal onderwijs"),
    "vo": ("vmbo", "havo/vwo"),
    "mbo": ("mbo",),
}
_PLACES = (
    "Utrecht",
    "Amersfoort",
    "Nieuwegein",
    "Zeist",
    "Houten",
    "Veenendaal",
    "Woerden",
    "Soest",
    "Leusden",
)


def synthetic_vacatures(n: int, seed: int = 1) -> list[Vacature]:
    """Return ``n`` realistic made-up vacatures around Utrecht/Amersfoort (lat 51.9-52.3, lon 4.7-5.6)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(
        len(_SYNTHETIC_KINDS), size=n, p=np.array(_SYNTHETIC_WEIGHTS) / sum(_SYNTHETIC_WEIGHTS)
    )
    lats, lons = rng.uniform(51.9, 52.3, n), rng.uniform(4.7, 5.6, n)
    groep, fte = rng.integers(1, 8, n), rng.choice([0.4, 0.6, 0.8, 1.0], n)
    out = []
    for i in range(n):
        pattern, role, sector, subject, requires, zij = _SYNTHETIC_KINDS[kinds[i]]
        types = _SCHOOL_TYPES[sector]
        out.append(
            Vacature(
                id=f"v{i:06d}",
                title=pattern.format(a=groep[i], b=groep[i] + 1, fte=f"{fte[i]:.1f}".replace(".", ",")),
                school=f"School {i % 900}",
                bestuur=f"Bestuur {i % 36}",
                place=_PLACES[i % len(_PLACES)],
                lat=float(lats[i]),
                lon=float(lons[i]),
                role=role,
                sector=sector,
                subject=subject,
                school_type=types[i % len(types)],
                hours_per_week=float(fte[i] * 40),
                requires=requires,
                zij_instroom_mogelijk=bool(zij and rng.random() < 0.7),
            )
        )
    return out


_BENCH_PEOPLE: tuple[tuple[dict[str, object], dict[str, str]], ...] = (
    # (profile slots, route fits the route rules would give this person)
    (
        {"goal_role": "groepsleerkracht", "target_sector": "po", "days_per_week": 4, "max_travel_km": 30},
        {"zij-instroom-po": "yes"},
    ),
    (
        {
            "goal_role": "groepsleerkracht",
            "teaching_qualification": "pabo",
            "days_per_week": 3,
            "place": "Amersfoort",
        },
        {"herintreder-po": "yes"},
    ),
    (
        {"goal_role": "vakleerkracht", "goal_subject": "muziek", "teaching_qualification": "vo_tweedegraads"},
        {},
    ),
    (
        {"goal_role": "onderwijsassistent", "days_per_week": 5, "max_travel_km": 15},
        {"onderwijsassistent": "yes"},
    ),
    ({}, {}),
)


def _bench_profiles() -> list[tuple[Profile, dict[str, str]]]:
    """A few typical people for the benchmark."""
    return [(Profile.model_validate(slots), fits) for slots, fits in _BENCH_PEOPLE]


def bench_rank(n: int = 20000, repeats: int = 200, seed: int = 1) -> dict[str, float]:
    """Time :func:`rank_vacatures` against a bare ``rapidfuzz.process.extract`` over the same titles.

    Profiles and origins rotate so the cache only helps as much as it would in real use; the
    ``cold`` figures clear the cache before every call. Returns milliseconds (p50/p95) and the
    p95 ratio to the baseline.
    """
    import time  # only the benchmark reads a clock; the engine itself never does

    vacatures = synthetic_vacatures(n, seed)
    index = VacatureIndex.build(vacatures)
    rng = np.random.default_rng(seed + 1)
    people = [(p, CanWork.derive(p, fits)) for p, fits in _bench_profiles()]
    origins = [
        (float(a), float(b))
        for a, b in zip(rng.uniform(51.9, 52.3, repeats), rng.uniform(4.7, 5.6, repeats), strict=True)
    ]
    raw_titles = [v.title for v in vacatures]

    def timed(call: Callable[[], object]) -> float:
        start = time.perf_counter()
        call()
        return (time.perf_counter() - start) * 1000.0

    calls = []
    for r in range(repeats):
        profile, can_work = people[r % len(people)]
        origin = origins[r] if r % 7 else None  # some people give no place
        calls.append(partial(rank_vacatures, profile, index, origin=origin, can_work=can_work))
    for call in calls[: len(people)]:
        call()  # fill the per-query cache as a running service would have it
    warm = [timed(call) for call in calls]
    cold = []
    for call in calls:
        index._cache.clear()
        cold.append(timed(call))
    extract = partial(
        process.extract,
        "groepsleerkracht",
        raw_titles,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=10,
    )
    base = [timed(extract) for _ in range(repeats)]

    def pct(values: list[float], q: float) -> float:
        return round(float(np.percentile(values, q)), 3)

    return {
        "n": float(n),
        "repeats": float(repeats),
        "rank_p50_ms": pct(warm, 50),
        "rank_p95_ms": pct(warm, 95),
        "rank_cold_p50_ms": pct(cold, 50),
        "rank_cold_p95_ms": pct(cold, 95),
        "extract_p50_ms": pct(base, 50),
        "extract_p95_ms": pct(base, 95),
        "ratio_p95": round(pct(warm, 95) / max(pct(base, 95), 1e-9), 3),
    }
