"""Concrete, regional next steps for a person, after the route advice is known. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.schema.routes import RouteBase
from matching.advice import RouteAdvice
from matching.profile import Profile

TOP_ROUTES = 3  # steps and institutions are about the routes we advise first, not the whole list


def next_steps(
    profile: Profile, route_advice: Sequence[RouteAdvice], kb: RouteBase, *, language: str = "nl"
) -> list[str]:
    """Next steps in order: steps from next_steps.yaml that apply, then where the top routes are offered.

    A step applies when its ``when`` holds for the profile (unknown answers do not trigger a step) and,
    if it names routes, one of them is among the top advised routes that are not ``no``.
    """
    # Steps follow the routes we can really advise; a `maybe` that only lacks answers
    # counts when nothing is `yes`.
    top = [a for a in route_advice if a.fit == "yes"][:TOP_ROUTES]
    top = top or [a for a in route_advice if a.fit != "no"][:TOP_ROUTES]
    top_ids = {a.id for a in top}
    chosen: list[tuple[int, int, str]] = []
    for index, step in enumerate(kb.next_steps):
        if step.routes and top_ids.isdisjoint(step.routes):
            continue
        if kb.step_condition(step.id)(profile) is not True:
            continue
        text = step.text.get(language)
        if step.institutions:
            text = f"{text} {_names(step.institutions, kb)}"
        chosen.append((step.priority, index, text))
    chosen.sort()
    steps = [text for _, _, text in chosen][: kb.settings.max_next_steps]
    steps += _where_offered(top, kb, language)
    return list(dict.fromkeys(steps))


def _where_offered(top: Sequence[RouteAdvice], kb: RouteBase, language: str) -> list[str]:
    """One line per top route that is offered in the region, naming the institutions and their sites."""
    compiled = {c.route.id: c for c in kb.compiled}
    lines = []
    template = kb.settings.institutions_line.get(language)
    for advice in top:
        route = compiled.get(advice.id)
        if route is None or not route.institutions:
            continue
        names = _names(route.institutions, kb)
        lines.append(template.replace("{route}", advice.title).replace("{institutions}", names))
    return lines


def _names(institution_ids: Sequence[str], kb: RouteBase) -> str:
    return ", ".join(f"{kb.institutions[i].name} ({kb.institutions[i].url})" for i in institution_ids)
