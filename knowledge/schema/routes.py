"""Typed models of the route knowledge: routes, conditions, institutions, next steps, advice settings.

Files (all under the knowledge directory):
- ``routes/<route-id>.yaml`` one route each;
- ``routes/_settings.yaml`` shared sets, rule sets, slot labels and ranking weights;
- ``conditions.yaml``, ``institutions.yaml``, ``next_steps.yaml``.
``load_routes`` checks every file and every cross-reference and reports all problems at once.
Rules are compiled into closures here, once, so that ``matching.routes`` only evaluates them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from knowledge.errors import KnowledgeError, KnowledgeErrors, read_yaml, validate
from knowledge.schema.text import LocalText
from matching.profile import SLOTS, GoalRole, Sector
from matching.rules import ALWAYS, Condition, Rule, RuleSyntaxError, compile_condition

# The public contract (shared/spec/intake-and-advice-api.md): these ids must exist and keep their meaning.
CONTRACT_ROUTE_IDS: tuple[str, ...] = (
    "pabo-voltijd", "pabo-deeltijd", "pabo-verkort", "pabo-academisch", "zij-instroom-po", "ad-pep",
    "onderwijsassistent", "toelatingsonderzoek-21plus", "herintreder-po", "vakleerkracht-po", "alo",
    "leergang-bewegingsonderwijs", "schoolleider-zij-instroom", "schoolleider-opleiding", "pdg-mbo",
    "lerarenopleiding-vo", "certificaat-onderbouw-vmbo", "zij-instroom-vo-mbo",
    "erkenning-buitenlands-diploma", "diplomawaardering", "nt2-b2", "orientatietraject",
)  # fmt: skip
CONTRACT_CONDITION_IDS: tuple[str, ...] = (
    "toelatingstoets-aardrijkskunde", "toelatingstoets-geschiedenis", "toelatingstoets-natuur-techniek",
    "toelatingsonderzoek-21plus", "geschiktheidsonderzoek", "vog", "aanstelling-schoolbestuur", "nt2-b2",
    "diploma-erkenning", "instellingscollegegeld", "minimaal-2-dagen",
)  # fmt: skip

SETTINGS_FILE = "_settings.yaml"
Url = str  # kept as text: the loket pastes URLs as they appear in sources


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


Text = LocalText  # a text shown to people (knowledge.schema.text)


class RuleSpec(_Strict):
    """One rule as written in YAML; see matching/rules.py for the ``when`` syntax."""

    when: Any = None
    fit: Literal["yes", "maybe", "no"] | None = None
    conditions: list[str] = []
    reason: Text
    unknown: Literal["maybe", "note", "ignore"] | None = None
    unknown_reason: Text | None = None
    cost_note: bool = False
    relevance: float = Field(default=0.0, ge=0, le=1)  # lifts the route in the ranking when the rule holds
    source: Url | None = None

    def default_unknown(self) -> Literal["maybe", "note", "ignore"]:
        """Deciding rules ask for the missing answer; conditions and notes only mention it."""
        if self.unknown is not None:
            return self.unknown
        if self.fit == "yes" and self.unknown_reason is None:
            return "ignore"  # a positive rule that cannot be checked yet; the exclusions ask for the answer
        if self.fit is not None:
            return "maybe"
        return "note" if self.conditions else "ignore"


class RuleUse(_Strict):
    """Include a shared rule set from _settings.yaml at this place."""

    use: str


class Otherwise(_Strict):
    fit: Literal["yes", "maybe", "no"]
    reason: Text


class Subsidy(_Strict):
    name: str
    text: Text
    source: Url | None = None
    unsure: bool = False


class LeadsTo(_Strict):
    roles: list[GoalRole] = []
    sectors: list[Sector] = []
    subjects: list[str] = []  # goal_subject words that this route serves especially (e.g. bewegingsonderwijs)
    for_undecided: bool = False  # the route suits people who do not know their goal yet


class Route(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: Text
    for_whom: Text
    rules: list[RuleSpec | RuleUse] = []
    otherwise: Otherwise
    conditions: list[str] = []  # conditions that always apply to this route
    duration_months: tuple[int, int]
    income_while_learning: bool | None
    costs: Text
    cost_level: int = Field(ge=0, le=3)  # 0 free / paid by the employer ... 3 instellingscollegegeld-level
    min_days_per_week: float | None = Field(default=None, ge=0, le=5)
    subsidies: list[Subsidy] = []
    bevoegdheid: Text
    leads_to: LeadsTo
    sources: list[Url] = []
    unsure: list[Text] = []
    institutions: list[str] = []

    @field_validator("duration_months")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not 0 <= value[0] <= value[1]:
            raise ValueError("duration_months must be [min, max] with 0 <= min <= max")
        return value


class ConditionInfo(_Strict):
    id: str
    title: Text
    explanation: Text
    source: Url | None = None


class Institution(_Strict):
    id: str
    name: str
    url: Url
    place: str | None = None
    routes: list[str] = []


class NextStep(_Strict):
    id: str
    text: Text
    when: Any = None
    routes: list[str] = []  # shown only when one of these routes is among the advised ones
    institutions: list[str] = []
    priority: int = 50  # lower comes first
    source: Url | None = None


class RankingWeights(_Strict):
    fit: float = Field(ge=0)
    goal: float = Field(ge=0)
    situation: float = Field(ge=0)
    income: float = Field(ge=0)
    days: float = Field(ge=0)
    duration: float = Field(ge=0)
    cost: float = Field(ge=0)
    maybe_fit_value: float = Field(ge=0, le=1)
    max_duration_months: int = Field(gt=0)


class Settings(_Strict):
    sets: dict[str, list[str]] = {}
    rule_sets: dict[str, list[RuleSpec]] = {}
    slot_labels: dict[str, Text] = {}
    slot_priority: list[str] = []
    ranking_slots: list[str] = []  # slots that only change the order of the advice
    need_to_know: Text  # "{slots}" is replaced by the labels of the unknown slots
    institutions_line: Text  # "{route}" and "{institutions}" are replaced
    ranking: RankingWeights
    max_next_steps: int = Field(default=6, ge=1)


class CompiledRoute:
    """A route with its rules compiled: what ``matching.routes`` evaluates per profile."""

    __slots__ = ("route", "rules", "institutions", "otherwise_reason", "static")

    def __init__(self, route: Route, rules: list[Rule], institutions: list[str]):
        self.route = route
        self.rules = rules
        self.institutions = institutions
        self.otherwise_reason: dict[str, str] = route.otherwise.reason.model_dump()
        # per language: the parts of the advice that do not depend on the profile (filled on first use)
        self.static: dict[str, dict[str, Any]] = {}


class RouteBase(BaseModel):
    """All route knowledge, checked. Build it with ``load_routes``; constructing it compiles the rules."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    routes: list[Route]
    conditions: dict[str, ConditionInfo]
    institutions: dict[str, Institution]
    next_steps: list[NextStep]
    settings: Settings
    _compiled: list[CompiledRoute] = PrivateAttr(default_factory=list)
    _step_conditions: dict[str, Condition] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context: Any) -> None:
        problems = check_references(self)
        if problems:
            raise KnowledgeErrors([KnowledgeError(f, e, r) for f, e, r in problems])
        self._compiled = [
            CompiledRoute(r, compile_route_rules(r, self.settings), self._institutions_for(r))
            for r in self.routes
        ]
        self._step_conditions = {
            s.id: compile_condition(s.when, sets=self.settings.sets) for s in self.next_steps
        }

    def _institutions_for(self, route: Route) -> list[str]:
        ids = list(route.institutions)
        ids += [i.id for i in self.institutions.values() if route.id in i.routes and i.id not in ids]
        return ids

    @property
    def compiled(self) -> list[CompiledRoute]:
        """Routes in knowledge-base order with compiled rules."""
        return self._compiled

    def step_condition(self, step_id: str) -> Condition:
        """The compiled ``when`` of a next step."""
        return self._step_conditions.get(step_id, ALWAYS)

    def route(self, route_id: str) -> Route:
        """The route with this id (KeyError when absent)."""
        for r in self.routes:
            if r.id == route_id:
                return r
        raise KeyError(route_id)


def expand_rules(route: Route, settings: Settings) -> list[RuleSpec]:
    """The route's rules with every ``use:`` replaced by the shared rule set (KeyError for an unknown set)."""
    out: list[RuleSpec] = []
    for item in route.rules:
        if isinstance(item, RuleUse):
            out.extend(settings.rule_sets[item.use])
        else:
            out.append(item)
    return out


def compile_route_rules(route: Route, settings: Settings) -> list[Rule]:
    """Compile a route's rules; raise RuleSyntaxError naming the rule index on the first problem."""
    compiled = []
    for i, spec in enumerate(expand_rules(route, settings)):
        condition = compile_condition(spec.when, sets=settings.sets, path=f"rules[{i}].when")
        compiled.append(
            Rule(
                condition=condition,
                reason=spec.reason.model_dump(),
                fit=spec.fit,
                conditions=tuple(spec.conditions),
                unknown=spec.default_unknown(),
                unknown_reason=spec.unknown_reason.model_dump() if spec.unknown_reason else None,
                cost_note=spec.cost_note,
                relevance=spec.relevance,
            )
        )
    return compiled


Problem = tuple[str, str | None, str]  # (file, entry, reason)


def check_references(base: RouteBase) -> list[Problem]:
    """Every cross-reference problem in a RouteBase: ids, conditions, institutions, slots, rule syntax."""
    problems: list[Problem] = []
    route_ids = [r.id for r in base.routes]
    known_routes = set(route_ids)
    settings = base.settings
    settings_file = f"routes/{SETTINGS_FILE}"
    for rid in sorted({r for r in route_ids if route_ids.count(r) > 1}):
        problems.append(("routes/", rid, "route id used more than once"))
    for rid in CONTRACT_ROUTE_IDS:
        if rid not in known_routes:
            problems.append(("routes/", rid, "route id of the public contract is missing"))
    for cid in CONTRACT_CONDITION_IDS:
        if cid not in base.conditions:
            problems.append(("conditions.yaml", cid, "condition id of the public contract is missing"))
    for key, info in base.conditions.items():
        if key != info.id:
            problems.append(("conditions.yaml", key, f"key and id differ ({info.id!r})"))
    for slot in [*settings.slot_labels, *settings.slot_priority, *settings.ranking_slots]:
        if slot not in SLOTS:
            problems.append((settings_file, slot, "unknown slot"))
    for name, specs in settings.rule_sets.items():
        for i, spec in enumerate(specs):
            problems += _check_spec(spec, settings, base, settings_file, f"rule_sets.{name}[{i}]")
    for route in base.routes:
        file = f"routes/{route.id}.yaml"
        if not route.sources:
            problems.append((file, route.id, "route has no source: add at least one URL under 'sources'"))
        for cid in route.conditions:
            if cid not in base.conditions:
                problems.append((file, route.id, f"unknown condition id {cid!r}"))
        for iid in route.institutions:
            if iid not in base.institutions:
                problems.append((file, route.id, f"unknown institution id {iid!r}"))
        for i, item in enumerate(route.rules):
            if isinstance(item, RuleUse):
                if item.use not in settings.rule_sets:
                    problems.append((file, route.id, f"rules[{i}]: unknown rule set {item.use!r}"))
            else:
                problems += _check_spec(item, settings, base, file, f"{route.id} rules[{i}]")
    for inst in base.institutions.values():
        for rid in inst.routes:
            if rid not in known_routes:
                problems.append(("institutions.yaml", inst.id, f"unknown route id {rid!r}"))
    for step in base.next_steps:
        for rid in step.routes:
            if rid not in known_routes:
                problems.append(("next_steps.yaml", step.id, f"unknown route id {rid!r}"))
        for iid in step.institutions:
            if iid not in base.institutions:
                problems.append(("next_steps.yaml", step.id, f"unknown institution id {iid!r}"))
        try:
            compile_condition(step.when, sets=settings.sets)
        except RuleSyntaxError as exc:
            problems.append(("next_steps.yaml", step.id, str(exc)))
    return problems


def _check_spec(spec: RuleSpec, settings: Settings, base: RouteBase, file: str, entry: str) -> list[Problem]:
    problems: list[Problem] = []
    for cid in spec.conditions:
        if cid not in base.conditions:
            problems.append((file, entry, f"unknown condition id {cid!r}"))
    if spec.fit is None and not spec.conditions and spec.unknown == "maybe":
        problems.append((file, entry, "'unknown: maybe' needs a deciding rule (with 'fit')"))
    try:
        compile_condition(spec.when, sets=settings.sets, path="when")
    except RuleSyntaxError as exc:
        problems.append((file, entry, str(exc)))
    return problems


def load_routes(knowledge_dir: Path) -> RouteBase:
    """Read and check every route knowledge file; raise KnowledgeErrors listing all problems found."""
    knowledge_dir = Path(knowledge_dir)
    errors: list[KnowledgeError] = []
    routes_dir = knowledge_dir / "routes"

    def load(path: Path, model: type[BaseModel], entry: str | None = None) -> Any:
        try:
            return validate(model, read_yaml(path), file=_rel(path, knowledge_dir), entry=entry)
        except KnowledgeError as exc:
            errors.append(exc)
            return None

    settings = load(routes_dir / SETTINGS_FILE, Settings)
    routes: list[Route] = []
    for path in sorted(routes_dir.glob("*.yaml")):
        if path.name == SETTINGS_FILE:
            continue
        route = load(path, Route, entry=path.stem)
        if route is None:
            continue
        if route.id != path.stem:
            file = _rel(path, knowledge_dir)
            errors.append(KnowledgeError(file, route.id, "file name must be <route id>.yaml"))
        routes.append(route)
    conditions = _load_list(knowledge_dir, "conditions.yaml", "conditions", ConditionInfo, errors)
    institutions = _load_list(knowledge_dir, "institutions.yaml", "institutions", Institution, errors)
    steps = _load_list(knowledge_dir, "next_steps.yaml", "next_steps", NextStep, errors)
    if settings is None or conditions is None or institutions is None or steps is None:
        raise KnowledgeErrors(errors)
    try:
        base = RouteBase(
            routes=_ordered(routes, settings),
            conditions={c.id: c for c in conditions},
            institutions={i.id: i for i in institutions},
            next_steps=steps,
            settings=settings,
        )
    except KnowledgeErrors as exc:
        errors.extend(exc.errors)
        raise KnowledgeErrors(errors) from None
    if errors:
        raise KnowledgeErrors(errors)
    return base


def _ordered(routes: list[Route], settings: Settings) -> list[Route]:
    """Contract order first (stable for people reading a tie), then any extra routes by id."""
    rank = {rid: i for i, rid in enumerate(CONTRACT_ROUTE_IDS)}
    return sorted(routes, key=lambda r: (rank.get(r.id, len(rank)), r.id))


def _load_list(
    root: Path, name: str, key: str, model: type[BaseModel], errors: list[KnowledgeError]
) -> list[Any] | None:
    """Read ``{key: [entries]}``; each entry is validated alone so that every bad entry is reported."""
    path = root / name
    file = name
    try:
        data = read_yaml(path)
    except KnowledgeError as exc:
        errors.append(exc)
        return None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        errors.append(KnowledgeError(file, None, f"expected a mapping with a list under '{key}'"))
        return None
    out = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        entry = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"{key}[{i}]"
        try:
            obj = validate(model, item, file=file, entry=entry)
        except KnowledgeError as exc:
            errors.append(exc)
            continue
        if obj.id in seen:
            errors.append(KnowledgeError(file, entry, "id used more than once"))
            continue
        seen.add(obj.id)
        out.append(obj)
    return out


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
