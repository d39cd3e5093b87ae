"""Route advice: which routes into education fit a profile, why (not), and in which order to tell them.

Pure: the RouteBase (compiled at load time) and a Profile in, RouteAdvice out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.schema.routes import CompiledRoute, RankingWeights, RouteBase, Settings
from matching.advice import RouteAdvice
from matching.profile import Profile
from matching.rules import Verdict, evaluate_rules

_FIT_ORDER = {"yes": 0, "maybe": 1, "no": 2}


def advise_routes(profile: Profile, routes: RouteBase, *, language: str = "nl") -> list[RouteAdvice]:
    """Every route of the knowledge base exactly once, best first, each with its fit, reasons and score.

    A ``no`` carries the rule that excluded it; a ``maybe`` names what it depends on (a condition id,
    or the answer we still need). ``no`` routes always come last.
    """
    settings = routes.settings
    scored: list[tuple[int, float, int, RouteAdvice]] = []
    for index, compiled in enumerate(routes.compiled):
        verdict = _verdict(compiled, profile)
        score = _score(compiled, verdict, profile, settings.ranking)
        advice = _to_advice(compiled, verdict, score, routes, language)
        scored.append((verdict.fit == "no", -score, index, advice))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored]


def missing_slots(profile: Profile, routes: RouteBase) -> list[str]:
    """Slots still unknown whose answer would change the route advice, most important first."""
    weights: dict[str, float] = {}
    for compiled in routes.compiled:
        verdict = _verdict(compiled, profile)
        for slot, weight in verdict.missing.items():
            weights[slot] = weights.get(slot, 0.0) + weight
    settings = routes.settings
    for slot in settings.ranking_slots:
        if getattr(profile, slot) is None:
            weights[slot] = weights.get(slot, 0.0) + 1.0
    priority = {slot: i for i, slot in enumerate(settings.slot_priority)}
    return sorted(weights, key=lambda s: (-weights[s], priority.get(s, len(priority)), s))


def _verdict(compiled: CompiledRoute, profile: Profile) -> Verdict:
    return evaluate_rules(
        compiled.rules,
        profile,
        otherwise_fit=compiled.route.otherwise.fit,
        otherwise_reason=compiled.otherwise_reason,
    )


def _score(compiled: CompiledRoute, verdict: Verdict, profile: Profile, w: RankingWeights) -> float:
    """A weighted 0..1 score of fit, goal, situation, income, days, duration, cost (see _settings.yaml)."""
    route = compiled.route
    fit_value = {"yes": 1.0, "maybe": w.maybe_fit_value, "no": 0.0}[verdict.fit]
    parts = [
        (w.fit, fit_value),
        (w.goal, _goal_match(compiled, profile)),
        (w.situation, verdict.relevance),
        (w.income, _income_match(route.income_while_learning, profile.keep_income)),
        (w.days, _days_match(route.min_days_per_week, profile.days_per_week)),
        (w.duration, 1.0 - min(route.duration_months[0], w.max_duration_months) / w.max_duration_months),
        (w.cost, 1.0 - route.cost_level / 3.0),
    ]
    total = sum(weight for weight, _ in parts) or 1.0
    score = sum(weight * value for weight, value in parts) / total
    if verdict.fit == "no":
        score *= 0.5  # an excluded route should never look like a good option
    return round(min(1.0, max(0.0, score)), 4)


def _goal_match(compiled: CompiledRoute, profile: Profile) -> float:
    leads = compiled.route.leads_to
    role, sector, subject = profile.goal_role, profile.target_sector, profile.goal_subject
    undecided = role in (None, "weet_niet") and sector in (None, "weet_niet")
    if leads.for_undecided:
        return 1.0 if undecided else 0.3
    role_value = 0.5 if role in (None, "weet_niet") else float(role in leads.roles)
    sector_value = 0.5 if sector in (None, "weet_niet") else float(sector in leads.sectors)
    value = 0.6 * role_value + 0.4 * sector_value
    if subject and leads.subjects:
        wanted = subject.casefold()
        hit = any(s.casefold() in wanted or wanted in s.casefold() for s in leads.subjects)
        value = min(1.0, value + 0.3) if hit else value * 0.5
    return value


def _income_match(income: bool | None, keep_income: bool | None) -> float:
    if keep_income is None or income is None:
        return 0.5
    if keep_income:
        return 1.0 if income else 0.0
    return 0.6 if income else 0.5


def _days_match(needed: float | None, available: float | None) -> float:
    if needed is None or available is None:
        return 0.5
    return 1.0 if available >= needed else available / needed * 0.5


def _to_advice(
    compiled: CompiledRoute, verdict: Verdict, score: float, base: RouteBase, language: str
) -> RouteAdvice:
    static = compiled.static.get(language) or _static_part(compiled, base, language)
    route = compiled.route
    reasons = [_pick(r, language) for r in verdict.reasons]
    if verdict.unknown_slots and verdict.fit != "no":
        unknown = list(dict.fromkeys(s for group in verdict.unknown_slots for s in group))
        reasons.append(_need_to_know(unknown, base.settings, language))
    conditions = list(route.conditions)
    conditions += [c for c in verdict.conditions if c not in conditions]
    fields = dict(static)
    if verdict.cost_notes:
        fields["costs"] = " ".join([static["costs"], *(_pick(n, language) for n in verdict.cost_notes)])
    return RouteAdvice(**fields, fit=verdict.fit, score=score, reasons=reasons, conditions=conditions)


def _static_part(compiled: CompiledRoute, base: RouteBase, language: str) -> dict[str, Any]:
    """The profile-independent fields of a route's advice, cached on the compiled route per language."""
    route = compiled.route
    static: dict[str, Any] = {
        "id": route.id,
        "title": route.title.get(language),
        "duration_months": route.duration_months,
        "income_while_learning": route.income_while_learning,
        "costs": route.costs.get(language),
        "sources": list(route.sources),
        "bevoegdheid": route.bevoegdheid.get(language),
        "unsure": [u.get(language) for u in route.unsure],
        "institutions": [base.institutions[i].name for i in compiled.institutions],
    }
    compiled.static[language] = static
    return static


def _need_to_know(slots: list[str], settings: Settings, language: str) -> str:
    labels = [settings.slot_labels[s].get(language) if s in settings.slot_labels else s for s in slots]
    return settings.need_to_know.get(language).replace("{slots}", ", ".join(labels))


def _pick(text: Mapping[str, str], language: str) -> str:
    """The text in ``language``; English for a missing newcomer translation, Dutch for unknown codes."""
    return text.get(language) or (text["nl"] if language == "nl" else text.get("en") or text["nl"])
