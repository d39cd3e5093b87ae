"""Builds advice from the database's open vacatures and vervangingsvragen, cached briefly per process."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket import clock
from loket.bestuur.models import School
from loket.context import AppContext
from loket.intake.models import IntakeSessie
from loket.match.models import Match
from loket.regio.models import Plaats
from loket.vacature.models import Vacature
from loket.vervangingsvraag.models import Vervangingsvraag
from matching.advice import Advice
from matching.advise import advise
from matching.invalwerk import Invalwerk
from matching.profile import Profile
from matching.vacatures import Vacature as VacatureData
from matching.vacatures import VacatureIndex

# Open vacatures change a few times a day, and staff changes invalidate this process's index at once; the
# rebuild (3 s for 200,000 vacatures) happens at most this often, so other processes catch up within minutes.
INDEX_TTL = timedelta(minutes=5)


def _load_vacatures(db_session: Session) -> list[VacatureData]:
    """The open vacatures as matcher data: plain columns (no ORM objects), repeated strings shared, and
    no description (the matching never reads it): at ten times national (200,000) this keeps a worker's
    memory and the rebuild small."""
    v = Vacature.__table__.c
    s = School.__table__.c
    rows = db_session.execute(
        select(v.id, v.titel, s.naam, s.bestuur_id, Plaats.naam, s.lat, s.lon, v.rol, v.sector, v.vak, s.soort,
               v.uren_per_week, v.vereist, v.zij_instroom_mogelijk)
        .join(School.__table__, v.school_id == s.id)
        .join(Plaats, s.plaats_id == Plaats.id)
        .where(v.status == "open")
    )
    shared: dict[str, str] = {}

    def one(text: str | None) -> str | None:
        return None if text is None else shared.setdefault(text, text)

    return [
        VacatureData(
            id=vid, title=one(titel), school=one(school), bestuur=one(bestuur), place=one(plaats), lat=lat,
            lon=lon, role=one(rol), sector=one(sector), subject=one(vak), school_type=one(soort),
            hours_per_week=uren, requires=one(vereist), zij_instroom_mogelijk=zij,
        )
        for vid, titel, school, bestuur, plaats, lat, lon, rol, sector, vak, soort, uren, vereist, zij in rows
    ]


def _load_invalwerk(db_session: Session) -> list[Invalwerk]:
    today = clock.now().date()
    rows = db_session.execute(
        select(Vervangingsvraag, School, Plaats.naam)
        .join(School, Vervangingsvraag.school_id == School.id)
        .join(Plaats, School.plaats_id == Plaats.id)
        .where(Vervangingsvraag.status == "open", Vervangingsvraag.datum_tot >= today)
        .limit(5000)
    ).all()
    out = []
    for vraag, school, plaats in rows:
        days = []
        d = vraag.datum_van
        while d <= vraag.datum_tot and len(days) < 60:
            days.append(d.isoformat())
            d += timedelta(days=1)
        out.append(Invalwerk(
            id=vraag.id, title=f"Invallen {', '.join(vraag.groepen) or 'groep'}", school=school.naam, place=plaats,
            lat=school.lat, lon=school.lon, sector="po", groepen=tuple(vraag.groepen), requires=vraag.vereist,
            days=tuple(days), hours=vraag.uren, urgent=vraag.urgentie == "zelfde_dag",
        ))
    return out


def _cached(ctx: AppContext, key: str, build: Any) -> Any:
    entry = ctx.cache.get(key)
    now = clock.now()
    if entry is None or now - entry[0] > INDEX_TTL:
        entry = (now, build())
        ctx.cache[key] = entry
    return entry[1]


def invalidate(ctx: AppContext) -> None:
    """Forget cached vacatures and invalpool work (after staff change them)."""
    ctx.cache.pop("vacature_index", None)
    ctx.cache.pop("invalwerk", None)


def matching_texts(ctx: AppContext) -> dict[str, dict[str, dict[str, str]]]:
    """The reasons of vacature and invalwerk matches in every language (knowledge/texts/matching.yaml),
    as ``advise`` takes them: {"vacatures": {language: {key: text}}, "invalwerk": {…}}."""
    cached = ctx.cache.get("matching_texts")
    if cached is None:
        entries = (ctx.knowledge.texts or {}).get("matching", {})
        by_part: dict[str, dict[str, dict[str, str]]] = {"vacatures": {}, "invalwerk": {}}
        for key, entry in entries.items():
            part, _, name = key.partition(".")
            for lang in ("nl", "en", "ar", "uk", "tr"):
                by_part.setdefault(part, {}).setdefault(lang, {})[name] = entry.get(lang)
        # Invalwerk reasons use the vacature words too (distance, hours, roles), its own ones on top.
        by_part["invalwerk"] = {lang: {**by_part["vacatures"].get(lang, {}), **own}
                                for lang, own in by_part["invalwerk"].items()}
        cached = ctx.cache.setdefault("matching_texts", by_part)
    return cached  # type: ignore[no-any-return]


def advice_for(*, db_session: Session, ctx: AppContext, profile: Profile, language: str) -> Advice:
    """The advice for ``profile`` with the region's current vacatures and invalpool work."""
    index = _cached(ctx, "vacature_index", lambda: VacatureIndex.build(_load_vacatures(db_session)))
    invalwerk = _cached(ctx, "invalwerk", lambda: _load_invalwerk(db_session))
    k = ctx.knowledge
    return advise(profile, routes=k.routes, region=k.region, vacatures=index, invalwerk=invalwerk,
                  language=language, texts=matching_texts(ctx))


def advice_for_session(*, db_session: Session, ctx: AppContext, sessie: IntakeSessie, profile: Profile,
                       language: str) -> Advice:
    """The advice at the end of an intake, stored as a proposal for staff to review."""
    advice = advice_for(db_session=db_session, ctx=ctx, profile=profile, language=language)
    already = db_session.scalar(select(func.count()).select_from(Match).where(
        Match.sessie_id == sessie.id, Match.soort == "advies", Match.status == "voorgesteld"))
    if not already:
        top = advice.routes[0] if advice.routes else None
        db_session.add(Match(
            soort="advies", kandidaat_id=sessie.kandidaat_id, sessie_id=sessie.id,
            onderwerp_id=top.id if top else "-", score=top.score if top else 0.0,
            redenen=top.reasons if top else [], gegevens=advice.model_dump(mode="json"),
        ))
    return advice
