"""The whole advice for one profile: routes, vacatures, invalpool work and next steps. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from knowledge.schema.region import Region
from knowledge.schema.routes import RouteBase
from knowledge.schema.text import LANGUAGES
from matching.advice import Advice
from matching.invalwerk import Invalwerk, rank_invalwerk
from matching.next_steps import next_steps
from matching.profile import Profile
from matching.routes import advise_routes, missing_slots
from matching.vacatures import CanWork, VacatureIndex, rank_vacatures


def origin_of(profile: Profile, region: Region) -> tuple[float, float] | None:
    """Coordinates of the person's place, when the region knows it."""
    return region.coordinates(profile.place) if profile.place else None


def advise(
    profile: Profile,
    *,
    routes: RouteBase,
    region: Region,
    vacatures: VacatureIndex | None = None,
    invalwerk: Sequence[Invalwerk] = (),
    language: str = "nl",
    limit: int = 10,
    texts: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> Advice:
    """Advise every route (best first), rank vacatures and invalpool work, and name the next steps."""
    language = language if language in LANGUAGES else "nl"
    # The reasons of vacatures and invalwerk: Dutch and English in code, every language from ``texts``
    # ({"vacatures": {language: {key: text}}, "invalwerk": …}, knowledge/texts/matching.yaml).
    texts = texts or {}
    vacature_texts, invalwerk_texts = texts.get("vacatures"), texts.get("invalwerk")
    match_language = language if language in ("nl", "en") or (vacature_texts or {}).get(language) else "en"
    route_advice = advise_routes(profile, routes, language=language)
    fits = {r.id: r.fit for r in route_advice}
    can_work = CanWork.derive(profile, fits)
    origin = origin_of(profile, region)
    vacature_matches = (
        rank_vacatures(profile, vacatures, origin=origin, can_work=can_work, limit=limit,
                       language=match_language, texts=vacature_texts)
        if vacatures is not None and len(vacatures) else []
    )
    invalwerk_matches = (
        rank_invalwerk(profile, invalwerk, origin=origin, can_work=can_work, limit=limit,
                       language=match_language, texts=invalwerk_texts)
        if invalwerk else []
    )
    return Advice(
        routes=route_advice,
        vacatures=vacature_matches,
        invalpool=invalwerk_matches,
        next_steps=next_steps(profile, route_advice, routes, language=language),
        missing_slots=missing_slots(profile, routes),
        language=language,  # type: ignore[arg-type]
    )
