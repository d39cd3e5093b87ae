"""A small declarative rule language over Profile slots, evaluated with three-valued logic.

A condition is plain data (as written in the knowledge YAML) and is compiled once, at load time,
into a closure. Evaluating a closure gives ``True``, ``False`` or ``None`` (unknown: the answer
depends on a slot that is still ``None``). ``all``/``any``/``not`` follow Kleene logic, so a known
fact can decide even when other parts are unknown ("havo" already rules out "under 21 without havo").

Condition syntax::

    {slot: education_level, in: [havo, vwo]}      {slot: education_level, in_set: bachelor_or_higher}
    {slot: age, lt: 21}   (also le, gt, ge, eq)    {slot: exam_subjects, contains: aardrijkskunde}
    {slot: exam_subjects, contains_any: [natuurkunde, biologie, nlt]}
    {slot: education_field, matches: onderwijs_zorg_fields}   (case-insensitive word-part match)
    {slot: dutch_level, known: false}              (never unknown)
    {all: [...]}  {any: [...]}  {not: {...}}
    any leaf may add ``unknown_as: true|false`` to treat a missing answer as that truth value.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from matching.profile import Profile, validate_slot

Tri = bool | None
Fit = Literal["yes", "maybe", "no"]
UnknownMode = Literal["maybe", "note", "ignore"]
Test = Callable[[Profile], Tri]


class RuleSyntaxError(ValueError):
    """A condition that cannot be compiled; ``path`` points into the YAML structure."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _slot_kinds() -> dict[str, str]:
    """Classify every Profile slot as numeric, text, list, bool or enum, from its type annotation."""
    kinds: dict[str, str] = {}
    for name, info in Profile.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        base = args[0] if args else info.annotation
        if typing.get_origin(base) is list:
            kinds[name] = "list"
        elif base is bool:
            kinds[name] = "bool"
        elif base in (int, float):
            kinds[name] = "numeric"
        elif base is str:
            kinds[name] = "text"
        else:
            kinds[name] = "enum"
    return kinds


SLOT_KINDS: dict[str, str] = _slot_kinds()

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
_LEAF_OPS = {"in", "in_set", "contains", "contains_any", "matches", "known", *_COMPARE}


@dataclass(frozen=True)
class Condition:
    """A compiled condition: ``test(profile)`` gives True/False/None; ``slots`` are the slots it reads."""

    test: Test
    slots: tuple[str, ...]

    def __call__(self, profile: Profile) -> Tri:
        return self.test(profile)


ALWAYS = Condition(lambda _p: True, ())


def compile_condition(raw: Any, *, sets: Mapping[str, Sequence[str]], path: str = "when") -> Condition:
    """Compile one condition expression; raise RuleSyntaxError naming the path of the first problem."""
    if raw is None or raw is True:
        return ALWAYS
    if not isinstance(raw, Mapping):
        raise RuleSyntaxError(path, f"a condition must be a mapping, not {type(raw).__name__}")
    if "all" in raw or "any" in raw:
        op = "all" if "all" in raw else "any"
        _only_keys(raw, {op}, path)
        items = raw[op]
        if not isinstance(items, list) or not items:
            raise RuleSyntaxError(f"{path}.{op}", "needs a non-empty list of conditions")
        parts = [compile_condition(item, sets=sets, path=f"{path}.{op}[{i}]") for i, item in enumerate(items)]
        return _combine(op, parts)
    if "not" in raw:
        _only_keys(raw, {"not"}, path)
        inner = compile_condition(raw["not"], sets=sets, path=f"{path}.not")
        return Condition(lambda p: None if (r := inner.test(p)) is None else not r, inner.slots)
    return _compile_leaf(raw, sets=sets, path=path)


def _only_keys(raw: Mapping[str, Any], allowed: set[str], path: str) -> None:
    extra = set(raw) - allowed
    if extra:
        raise RuleSyntaxError(path, f"unexpected key(s) {sorted(extra)} next to {sorted(allowed)}")


def _combine(op: str, parts: list[Condition]) -> Condition:
    tests = tuple(p.test for p in parts)
    slots = tuple(dict.fromkeys(s for p in parts for s in p.slots))
    decisive = op == "any"  # the value that settles the whole expression at once

    def run(profile: Profile) -> Tri:
        unknown = False
        for test in tests:
            result = test(profile)
            if result is None:
                unknown = True
            elif result is decisive:
                return decisive
        return None if unknown else not decisive

    return Condition(run, slots)


def _compile_leaf(raw: Mapping[str, Any], *, sets: Mapping[str, Sequence[str]], path: str) -> Condition:
    slot = raw.get("slot")
    if not isinstance(slot, str):
        raise RuleSyntaxError(path, "a condition needs 'slot', or one of 'all', 'any', 'not'")
    kind = SLOT_KINDS.get(slot)
    if kind is None:
        raise RuleSyntaxError(f"{path}.slot", f"unknown slot {slot!r}")
    ops = [k for k in raw if k in _LEAF_OPS]
    extra = set(raw) - _LEAF_OPS - {"slot", "unknown_as"}
    if extra:
        raise RuleSyntaxError(path, f"unknown key(s) {sorted(extra)}")
    if len(ops) != 1:
        raise RuleSyntaxError(path, f"needs exactly one operator of {sorted(_LEAF_OPS)}, got {ops}")
    op = ops[0]
    unknown_as = raw.get("unknown_as")
    if unknown_as is not None and not isinstance(unknown_as, bool):
        raise RuleSyntaxError(f"{path}.unknown_as", "must be true or false")
    check = _leaf_check(slot, kind, op, raw[op], sets=sets, path=f"{path}.{op}")

    if op == "known":
        want = raw[op]
        return Condition(lambda p: (getattr(p, slot) is not None) == want, (slot,))

    def run(profile: Profile) -> Tri:
        value = getattr(profile, slot)
        if value is None:
            return unknown_as
        return check(value)

    return Condition(run, (slot,))


def _leaf_check(
    slot: str, kind: str, op: str, arg: Any, *, sets: Mapping[str, Sequence[str]], path: str
) -> Callable[[Any], bool]:
    """The test applied to a known value of ``slot``; arguments are checked against the slot's type."""
    if op == "known":
        if not isinstance(arg, bool):
            raise RuleSyntaxError(path, "must be true or false")
        return lambda _v: True
    if op in ("in", "in_set"):
        values = _set_values(arg, sets, path) if op == "in_set" else arg
        if not isinstance(values, list) or not values:
            raise RuleSyntaxError(path, "needs a non-empty list of values")
        allowed = frozenset(_check_value(slot, kind, v, path) for v in values)
        if kind == "list":
            raise RuleSyntaxError(path, f"slot {slot!r} is a list: use 'contains' or 'contains_any'")
        return lambda v: v in allowed
    if op in ("contains", "contains_any"):
        if kind != "list":
            raise RuleSyntaxError(path, f"'{op}' works on list slots only, not on {slot!r}")
        values = [arg] if op == "contains" else arg
        if not isinstance(values, list) or not values:
            raise RuleSyntaxError(path, "needs a value or a non-empty list of values")
        wanted = frozenset(_check_value(slot, kind, v, path) for v in values)
        return lambda v: not wanted.isdisjoint(v)
    if op == "matches":
        if kind != "text":
            raise RuleSyntaxError(path, f"'matches' works on free-text slots only, not on {slot!r}")
        terms = tuple(t.casefold() for t in _set_values(arg, sets, path))
        return lambda v: _matches(v, terms)
    # comparisons
    if op != "eq" and kind != "numeric":
        raise RuleSyntaxError(path, f"'{op}' compares numbers; slot {slot!r} is not a number")
    if kind == "numeric":
        # a threshold may lie outside the slot's own range (e.g. "age lt 14" is a valid, empty test)
        if isinstance(arg, bool) or not isinstance(arg, (int, float)):
            raise RuleSyntaxError(path, f"needs a number for slot {slot!r}, got {arg!r}")
        value = arg
    else:
        value = _check_value(slot, kind, arg, path)
    compare = _COMPARE[op]
    return lambda v: compare(v, value)


def _set_values(name: Any, sets: Mapping[str, Sequence[str]], path: str) -> list[str]:
    if not isinstance(name, str) or name not in sets:
        raise RuleSyntaxError(path, f"unknown set {name!r} (known: {sorted(sets)})")
    return list(sets[name])


def _check_value(slot: str, kind: str, value: Any, path: str) -> Any:
    """Normalise a literal from the YAML exactly as the Profile would, so typos fail at load time."""
    try:
        if kind == "list":
            return validate_slot(slot, [value])[0]
        return validate_slot(slot, value)
    except ValueError as exc:
        raise RuleSyntaxError(path, f"value {value!r} does not fit slot {slot!r}: {exc}") from None


def _matches(value: str, terms: tuple[str, ...]) -> bool:
    text = value.casefold()
    return any(term in text for term in terms)


@dataclass(frozen=True)
class Rule:
    """One compiled rule of a route: when ``condition`` holds, apply the outcome with ``reason``."""

    condition: Condition
    reason: Mapping[str, str]
    fit: Fit | None = None
    conditions: tuple[str, ...] = ()
    unknown: UnknownMode = "maybe"
    unknown_reason: Mapping[str, str] | None = None  # shown instead of ``reason`` while slots are unknown
    cost_note: bool = False
    relevance: float = 0.0  # how specifically this rule, when it holds, points at the person's situation


@dataclass
class Verdict:
    """The result of one route's rules for one profile, before texts are chosen and ranked."""

    fit: Fit
    reasons: list[Mapping[str, str]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    cost_notes: list[Mapping[str, str]] = field(default_factory=list)
    # slot -> weight: how much knowing this slot would change this route's advice
    missing: dict[str, float] = field(default_factory=dict)
    unknown_slots: list[tuple[str, ...]] = field(default_factory=list)
    relevance: float = 0.0


def evaluate_rules(
    rules: Sequence[Rule], profile: Profile, *, otherwise_fit: Fit, otherwise_reason: Mapping[str, str]
) -> Verdict:
    """Apply a route's ordered rules to a profile.

    A rule that holds with ``fit: no`` excludes the route (the first one is the reason). Otherwise any
    ``maybe`` (stated, or a deciding rule whose slots are unknown) makes the route ``maybe``; otherwise a
    ``yes`` rule makes it ``yes``; when no rule spoke, ``otherwise`` decides.
    """
    verdict = Verdict(fit=otherwise_fit)
    exclusion: Mapping[str, str] | None = None
    maybe_reasons: list[Mapping[str, str]] = []
    yes_reasons: list[Mapping[str, str]] = []
    notes: list[Mapping[str, str]] = []
    unknown_maybe = False
    for rule in rules:
        result = rule.condition.test(profile)
        if result is None:
            missing = tuple(s for s in rule.condition.slots if getattr(profile, s) is None)
            weight = 3.0 if rule.unknown == "maybe" else 1.0
            for slot in missing:
                verdict.missing[slot] = verdict.missing.get(slot, 0.0) + weight
            if rule.unknown == "maybe":
                # the rule's own reason states a known fact, so only a dedicated text may be shown here
                verdict.unknown_slots.append(missing)
                unknown_maybe = True
                if rule.unknown_reason is not None:
                    maybe_reasons.append(rule.unknown_reason)
            elif rule.unknown == "note":
                verdict.unknown_slots.append(missing)
                if rule.unknown_reason is not None:
                    notes.append(rule.unknown_reason)
            continue
        if not result:
            continue
        if rule.fit == "no":
            if exclusion is None:
                exclusion = rule.reason
            continue
        if rule.relevance > verdict.relevance:
            verdict.relevance = rule.relevance
        for cond in rule.conditions:
            if cond not in verdict.conditions:
                verdict.conditions.append(cond)
        if rule.cost_note:
            verdict.cost_notes.append(rule.reason)
        elif rule.fit == "maybe":
            maybe_reasons.append(rule.reason)
        elif rule.fit == "yes":
            yes_reasons.append(rule.reason)
        else:
            notes.append(rule.reason)
    if exclusion is not None:
        verdict.fit = "no"
        verdict.reasons = [exclusion]
        # a known fact excludes the route; no further answer can change that
        verdict.missing.clear()
        verdict.unknown_slots.clear()
    elif maybe_reasons or unknown_maybe:
        verdict.fit = "maybe"
        verdict.reasons = _unique(maybe_reasons + yes_reasons + notes)
    elif yes_reasons:
        verdict.fit = "yes"
        verdict.reasons = _unique(yes_reasons + notes)
    else:
        verdict.reasons = _unique([otherwise_reason, *notes])
    return verdict


def _unique(texts: list[Mapping[str, str]]) -> list[Mapping[str, str]]:
    seen: set[tuple[tuple[str, str], ...]] = set()
    out = []
    for text in texts:
        key = tuple(sorted(text.items()))
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out
