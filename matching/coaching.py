"""Routing a loopbaangesprek to a coach: pure, plain data in and out.

Order of the rules:

1. Hard rules, checked for every coach before anything else. The first one is the own-bestuur exclusion:
   a coach of the teacher's own bestuur is never chosen — not when every other coach is full, absent or has
   declined, not when the teacher's bestuur is unknown to the coach list. It never relaxes. Then: inactive,
   absent today, tried before for this request (declined or let the SLA pass), no capacity left this week.
2. Fit, compared in bands so that small differences do not override fairness: expertise (the tags the teacher
   ticked weigh 1.0; tags read from the free-text wish with rapidfuzz weigh 0.6 times the match score), then
   location (same subregio, else within ``NEAR_KM``, else further).
3. Fairness: the least loaded coach (assignments this week / capacity), ties broken round-robin (the coach
   who was assigned longest ago goes first), then by id so the outcome is deterministic.

Every decision comes with a ``Routing`` that explains it: the chosen coach with reasons, the ranked others,
and each excluded coach with its rule. The service stores ``Routing.explanation()`` with the assignment.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process, utils

from matching.geo import haversine_km
from matching.workdays import working_days_after

STARTER_TAG = "starters en inductie"
# Words in a free-text wish that point at an expertise tag. Matched fuzzily, so typos still count.
TAG_KEYWORDS: dict[str, tuple[str, ...]] = {
    "overstap po-vo-mbo": ("voortgezet onderwijs", "middelbare school", "mbo", "vo", "overstap",
                           "andere sector", "secondary school", "vocational"),
    "leiderschap": ("leiderschap", "leidinggeven", "leidinggevende", "directeur", "schoolleider",
                    "teamleider", "bouwcoördinator", "management", "leadership", "manager"),
    "vitaliteit en verzuim": ("werkdruk", "burn-out", "burnout", "overspannen", "ziek", "verzuim",
                              "vitaliteit", "minder uren", "moe", "stress", "workload", "fewer hours"),
    STARTER_TAG: ("starter", "beginnend", "eerste jaar", "net begonnen", "inductie", "pas afgestudeerd",
                  "new teacher", "first year"),
    "zij-instroom": ("zij-instroom", "zij-instromer", "zijinstroom", "career switcher", "omscholing"),
    "specialist": ("specialist", "rekenspecialist", "taalspecialist", "intern begeleider", "ib-er",
                   "gedragsspecialist", "hoogbegaafdheid", "expert"),
    "uitstroom": ("stoppen", "uitstroom", "ander beroep", "ander werk", "weg uit het onderwijs",
                  "buiten het onderwijs", "leave education", "quit"),
}
FUZZY_MIN = 88.0  # below this a word is not taken as a keyword (e.g. "ziek" vs "zie")
INFERRED_WEIGHT = 0.6
NEAR_KM = 25.0
MAX_WISH_CHARS = 2000

# Codes of the hard rules, in the order they are checked.
OWN_BESTUUR = "eigen_bestuur"
UNKNOWN_BESTUUR = "bestuur_onbekend"
INACTIVE = "niet_actief"
ABSENT = "afwezig"
TRIED = "eerder_geprobeerd"
FULL = "geen_capaciteit"


@dataclass(frozen=True)
class CoachInfo:
    """What routing needs to know about one coach."""

    id: str
    bestuur_id: str | None
    expertise: tuple[str, ...] = ()
    subregio_id: str | None = None
    capacity_per_week: int = 2
    load_this_week: int = 0  # assignments offered or accepted since Monday
    last_assigned_at: datetime | None = None
    active: bool = True
    absent_from: date | None = None
    absent_until: date | None = None  # inclusive
    lat: float | None = None
    lon: float | None = None
    name: str = ""

    def absent_on(self, day: date) -> bool:
        """True when ``day`` falls in the coach's absence."""
        if self.absent_until is None or day > self.absent_until:
            return False
        return self.absent_from is None or day >= self.absent_from


@dataclass(frozen=True)
class RequestInfo:
    """What routing needs to know about one request."""

    bestuur_id: str | None
    tags: tuple[str, ...] = ()
    wish: str = ""
    starter: bool = False
    subregio_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    tried: frozenset[str] = frozenset()  # coaches that declined or let the SLA pass


@dataclass
class Candidate:
    """A coach that passed every hard rule, with the figures it was ranked by."""

    coach_id: str
    expertise: float
    matched_tags: list[str]
    location: int  # 2 same subregio, 1 near, 0 further or unknown
    distance_km: float | None
    load: int
    capacity: int
    last_assigned_at: datetime | None
    reasons: list[str] = field(default_factory=list)

    @property
    def load_ratio(self) -> float:
        return self.load / self.capacity if self.capacity > 0 else math.inf

    def sort_key(self) -> tuple[Any, ...]:
        # Expertise in bands of 0.1: a slightly better match never beats a much less busy coach.
        band = round(self.expertise, 1)
        last = self.last_assigned_at.timestamp() if self.last_assigned_at else -math.inf
        return (-band, -self.location, self.load_ratio, last, self.coach_id)


@dataclass
class Routing:
    """The outcome of routing one request."""

    chosen: Candidate | None
    ranked: list[Candidate]
    excluded: dict[str, str]  # coach id -> rule code
    wanted_tags: dict[str, float]  # tag -> weight (1.0 ticked, less when read from the wish)

    @property
    def waits(self) -> bool:
        """True when no coach may take the request now: it waits in the coordinator's queue."""
        return self.chosen is None

    def explanation(self) -> dict[str, Any]:
        """A JSON-able account of the decision, stored with the assignment."""
        excluded_counts: dict[str, int] = {}
        for code in self.excluded.values():
            excluded_counts[code] = excluded_counts.get(code, 0) + 1
        return {
            "gekozen": self.chosen.coach_id if self.chosen else None,
            "redenen": list(self.chosen.reasons) if self.chosen else [],
            "gevraagde_tags": {t: round(w, 2) for t, w in self.wanted_tags.items()},
            "kandidaten": [
                {"coach_id": c.coach_id, "expertise": round(c.expertise, 2), "tags": c.matched_tags,
                 "locatie": c.location,
                 "afstand_km": None if c.distance_km is None else round(c.distance_km, 1),
                 "belasting": f"{c.load}/{c.capacity}"}
                for c in self.ranked[:10]
            ],
            "uitgesloten": dict(sorted(self.excluded.items())),
            "uitgesloten_aantal": excluded_counts,
        }


def _phrases(text: str) -> list[str]:
    """Every run of one to three words of ``text``: keywords can be one word or a short phrase."""
    words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", text[:MAX_WISH_CHARS].casefold())
    return [" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)]


def tags_from_wish(wish: str) -> dict[str, float]:
    """Expertise tags the free-text wish points at, with the best fuzzy score (0–100) per tag."""
    phrases = _phrases(wish)
    if not phrases:
        return {}
    keywords = [(tag, kw) for tag, kws in TAG_KEYWORDS.items() for kw in kws]
    # One matrix of keyword × phrase scores; short keywords ("vo", "mbo") must match exactly, since a
    # one-letter difference there is another word.
    scores = process.cdist([kw for _, kw in keywords], phrases, scorer=fuzz.ratio,
                           processor=utils.default_process)
    found: dict[str, float] = {}
    for (tag, kw), row in zip(keywords, scores, strict=True):
        best = float(row.max())
        if len(kw) <= 4 and best < 100.0:
            continue
        if best >= FUZZY_MIN and best > found.get(tag, 0.0):
            found[tag] = best
    return found


def wanted_tags(request: RequestInfo) -> dict[str, float]:
    """The tags the request asks for, weighted: ticked (and starter) 1.0, read from the wish less."""
    wanted = {t: 1.0 for t in request.tags}
    if request.starter:
        wanted[STARTER_TAG] = 1.0
    for tag, score in tags_from_wish(request.wish).items():
        wanted.setdefault(tag, INFERRED_WEIGHT * score / 100.0)
    return wanted


def hard_rule(request: RequestInfo, coach: CoachInfo, today: date) -> str | None:
    """The first hard rule that keeps ``coach`` from this request, or None."""
    # Own bestuur first and unconditionally. Without a known bestuur the rule cannot be checked, so no coach
    # may take the request (a coordinator looks at it) rather than risk one of the own bestuur.
    if request.bestuur_id is None:
        return UNKNOWN_BESTUUR
    if coach.bestuur_id == request.bestuur_id:
        return OWN_BESTUUR
    if not coach.active:
        return INACTIVE
    if coach.absent_on(today):
        return ABSENT
    if coach.id in request.tried:
        return TRIED
    if coach.load_this_week >= coach.capacity_per_week:
        return FULL
    return None


def _location(request: RequestInfo, coach: CoachInfo) -> tuple[int, float | None]:
    distance = None
    if None not in (request.lat, request.lon, coach.lat, coach.lon):
        distance = haversine_km(request.lat, request.lon, coach.lat, coach.lon)  # type: ignore[arg-type]
    if request.subregio_id and request.subregio_id == coach.subregio_id:
        return 2, distance
    if distance is not None and distance <= NEAR_KM:
        return 1, distance
    return 0, distance


def _candidate(coach: CoachInfo, wanted: dict[str, float]) -> Candidate:
    total = sum(wanted.values())
    matched = [t for t in wanted if t in coach.expertise]
    expertise = sum(wanted[t] for t in matched) / total if total else 0.0
    return Candidate(coach_id=coach.id, expertise=expertise, matched_tags=matched, location=0,
                     distance_km=None, load=coach.load_this_week, capacity=coach.capacity_per_week,
                     last_assigned_at=coach.last_assigned_at)


def _reasons(c: Candidate, wanted: dict[str, float]) -> list[str]:
    reasons = ["niet van het eigen bestuur van de leraar"]
    if c.matched_tags:
        reasons.append("expertise: " + ", ".join(c.matched_tags))
    elif wanted:
        reasons.append("geen coach met de gevraagde expertise vrij; wel passend op de andere regels")
    reasons.append({2: "zelfde subregio", 1: f"dichtbij (binnen {NEAR_KM:.0f} km)",
                    0: "andere subregio"}[c.location])
    reasons.append(f"belasting deze week {c.load} van {c.capacity}")
    return reasons


def route(request: RequestInfo, coaches: list[CoachInfo], *, today: date) -> Routing:
    """Choose a coach for ``request`` from ``coaches`` (or none: the request waits)."""
    wanted = wanted_tags(request)
    excluded: dict[str, str] = {}
    ranked: list[Candidate] = []
    for coach in coaches:
        rule = hard_rule(request, coach, today)
        if rule is not None:
            excluded[coach.id] = rule
            continue
        candidate = _candidate(coach, wanted)
        candidate.location, candidate.distance_km = _location(request, coach)
        ranked.append(candidate)
    ranked.sort(key=Candidate.sort_key)
    chosen = ranked[0] if ranked else None
    if chosen is not None:
        chosen.reasons = _reasons(chosen, wanted)
    return Routing(chosen=chosen, ranked=ranked, excluded=excluded, wanted_tags=wanted)


# ----------------------------------------------------------------- working days and the promised date

def expected_contact_date(
    *,
    today: date,
    sla_working_days: int,
    assigned: bool,
    queue_ahead: int = 0,
    eligible: list[CoachInfo] | None = None,
    horizon_weeks: int = 26,
) -> date | None:
    """An honest date by which a coach contacts the teacher, or None when no coach could ever take it.

    Assigned now: the coach answers within the SLA. Waiting: count the free places of the coaches who may
    take this request (not of the own bestuur, active) week by week — this week's remaining places first,
    then each next week's capacity of the coaches not absent that Monday — until the requests ahead in the
    queue and this one have a place; then the SLA from that Monday.
    """
    if assigned:
        return working_days_after(today, sla_working_days)
    coaches = [c for c in (eligible or []) if c.active and c.capacity_per_week > 0]
    if not coaches:
        return None
    needed = queue_ahead + 1
    needed -= sum(max(0, c.capacity_per_week - c.load_this_week) for c in coaches if not c.absent_on(today))
    if needed <= 0:
        return working_days_after(today, sla_working_days)
    monday = today - timedelta(days=today.weekday())
    for week in range(1, horizon_weeks + 1):
        start = monday + timedelta(weeks=week)
        needed -= sum(c.capacity_per_week for c in coaches if not c.absent_on(start))
        if needed <= 0:
            return working_days_after(start, sla_working_days)
    return None
