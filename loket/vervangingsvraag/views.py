"""The invalpool API (``/api/v1/vervangingsvragen``, figures, candidates with reasons) and the
coordinator's evening-before planning page. ``router`` also carries the bestuur and invaller pages, so
``loket/api.py`` mounts the whole invalpool with one line."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from loket import clock
from loket.auth.deps import Allowed, CsrfChecked
from loket.auth.policy import scope_bestuur
from loket.bestuur import koppeling
from loket.bestuur import service as bestuur_service
from loket.bestuur import views as bestuur_views
from loket.bestuur import views_koppeling as bestuur_koppeling_views
from loket.bestuur.models import ApiIdempotentie
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import TEXTS, language_of, text
from loket.invaller import service as invaller_service
from loket.invaller import views as invaller_views
from loket.invaller.models import Invaller
from loket.medewerker.models import Medewerker
from loket.pages import render
from loket.vervangingsvraag import api_view, flows, service
from loket.vervangingsvraag.models import VraagIn
from matching import invalpool

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["invalpool"])
pages = APIRouter(include_in_schema=False)

Viewer = Annotated[Medewerker, Depends(Allowed("vervangingsvraag.view"))]
Creator = Annotated[Medewerker, Depends(Allowed("vervangingsvraag.create"))]
Editor = Annotated[Medewerker, Depends(Allowed("vervangingsvraag.edit"))]
Figures = Annotated[Medewerker, Depends(Allowed("invalpool.figures"))]
Planner = Annotated[Medewerker, Depends(Allowed("invalpool.plan"))]
InvallerEditor = Annotated[Medewerker, Depends(Allowed("invaller.edit"))]

MAX_FIGURE_DAYS = 731

TEXTS.update({
    "idempotency_conflict": {"nl": "Deze Idempotency-Key is al gebruikt voor een andere vraag.",
                             "en": "This Idempotency-Key was already used for another request."},
    "figures_period": {"nl": "Kies een periode van hoogstens twee jaar, met 'van' voor 'tot' (jjjj-mm-dd).",
                       "en": "Choose a period of at most two years, with 'van' before 'tot' (yyyy-mm-dd)."},
})


def _links(request: Request) -> flows.Links:
    return flows.Links.from_settings(request.app.state.ctx.settings)


def _own(db: Any, account: Medewerker, vraag_id: str, *, for_update: bool = False) -> Any:
    vraag = service.get(db_session=db, vraag_id=vraag_id[:64], for_update=for_update)
    if vraag is None or not scope_bestuur(account, vraag.bestuur_id):
        raise LoketError(404, "not_found")
    return vraag


_CREATE_EXAMPLES = {
    "een_dag": {"summary": "One day, groep 5-6", "value": {
        "school_id": "school-0001", "datum_van": "2027-01-11", "dagdelen": ["ochtend", "middag"],
        "groepen": ["5-6"], "vereist": "po_bevoegdheid", "notities": "Juf Anna is ziek; rooster ligt klaar."}},
    "een_week_ochtenden": {"summary": "A week of mornings, gym", "value": {
        "school_id": "school-0001", "datum_van": "2027-01-11", "datum_tot": "2027-01-15", "dagdelen": ["ochtend"],
        "uren": 20, "vereist": "gym_bevoegdheid"}},
}
_IDEMPOTENCY_DOC = ("Optional. The same key with the same body creates the vraag once; a retry gets the same "
                    "answer (201). The same key with another body is 409.")


def _full(db: Any, vraag: Any) -> dict[str, Any]:
    return api_view.vraag_out(db, vraag)


@api.get("/scholen", summary="The schools of the caller's bestuur (ids to use in a vraag)")
def list_scholen(request: Request, account: Viewer) -> dict[str, Any]:
    """A bestuur's own schools; staff see all. Use ``id`` as ``school_id`` of a vervangingsvraag."""
    scope = bestuur_service.scope_of(account)
    with request.app.state.ctx.sessions() as db:
        schools = service.schools_for(db_session=db, bestuur_id=scope)
        return {"scholen": [{"id": s.id, "naam": s.naam, "soort": s.soort, "bestuur_id": s.bestuur_id,
                             "plaats_id": s.plaats_id} for s in schools]}


@api.get("/vervangingsvragen", summary="The caller's vervangingsvragen, newest first")
def list_vragen(request: Request, account: Viewer,
                status: Annotated[str | None, Query(max_length=16, description="open, aangeboden, toegewezen, "
                                                    "niet_gevuld, geannuleerd")] = None,
                van: Annotated[date | None, Query(description="First day on or after (yyyy-mm-dd).")] = None,
                tot: Annotated[date | None, Query(description="First day on or before (yyyy-mm-dd).")] = None,
                school_id: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """The account's vragen (a bestuur or its API key: its own; staff: all), newest first."""
    scope = bestuur_service.scope_of(account)
    internal = status if status in ("open", "gevuld", "geannuleerd", "verlopen", "afgerond") else None
    with request.app.state.ctx.sessions() as db:
        rows = service.list_for(db_session=db, bestuur_id=scope, status=internal)
        out = []
        for vraag, _school in rows:
            if (van and vraag.datum_van < van) or (tot and vraag.datum_van > tot) or \
                    (school_id and vraag.school_id != school_id):
                continue
            item = _full(db, vraag)
            if status and status not in (item["status"], item["status_intern"]):
                continue
            out.append(item)
        return {"vragen": out}


@api.post("/vervangingsvragen", status_code=201, dependencies=[CsrfChecked],
          summary="Post a vervangingsvraag for one of the bestuur's schools")
def create_vraag(request: Request, account: Creator,
                 data: Annotated[VraagIn, Body(openapi_examples=_CREATE_EXAMPLES)],
                 idempotency_key: Annotated[str | None, Header(max_length=200, description=_IDEMPOTENCY_DOC)] = None,
                 ) -> Any:
    """Post a vraag; the first offers go out right away, through the same tiers as the form."""
    ctx = request.app.state.ctx
    scope = bestuur_service.scope_of(account)
    bestuur_id = scope or "loket"
    body_hash = hashlib.sha256(data.model_dump_json().encode()).hexdigest()
    if idempotency_key:
        earlier = _idempotent_answer(ctx, bestuur_id, idempotency_key, body_hash)
        if earlier is not None:
            return earlier
    try:
        with transaction(ctx.sessions) as db:
            if idempotency_key and scope:
                # Claimed first: a second request with this key waits here (unique) until this one commits.
                db.add(ApiIdempotentie(bestuur_id=scope, sleutel=idempotency_key, verzoek_hash=body_hash,
                                       status_code=201, antwoord={}))
                db.flush()
            vraag = flows.create_vraag(db_session=db, links=_links(request), data=data, scope_bestuur_id=scope,
                                       actor=koppeling.actor_of(account))
            body = _full(db, vraag)
            if idempotency_key and scope:
                db.execute(update(ApiIdempotentie).where(ApiIdempotentie.bestuur_id == scope,
                                                         ApiIdempotentie.sleutel == idempotency_key)
                           .values(antwoord=body))
            return body
    except IntegrityError:
        earlier = _idempotent_answer(ctx, bestuur_id, idempotency_key or "", body_hash)
        if earlier is None:
            raise
        return earlier


def _idempotent_answer(ctx: Any, bestuur_id: str, key: str, body_hash: str) -> JSONResponse | None:
    with ctx.sessions() as db:
        row = db.scalar(select(ApiIdempotentie).where(ApiIdempotentie.bestuur_id == bestuur_id,
                                                      ApiIdempotentie.sleutel == key))
        if row is None:
            return None
        if row.verzoek_hash != body_hash:
            raise LoketError(409, "idempotency_conflict")
        return JSONResponse(row.antwoord, status_code=row.status_code, headers={"Idempotent-Replayed": "true"})


@api.get("/vervangingsvragen/{vraag_id}", summary="One vervangingsvraag with its offers")
def get_vraag(request: Request, vraag_id: str, account: Viewer) -> dict[str, Any]:
    """One vraag with its offers and, once assigned, the invaller's name and contact and why this one."""
    with request.app.state.ctx.sessions() as db:
        return _full(db, _own(db, account, vraag_id))


@api.patch("/vervangingsvragen/{vraag_id}", dependencies=[CsrfChecked], summary="Change a vervangingsvraag")
def patch_vraag(request: Request, vraag_id: str, account: Editor,
                changes: Annotated[dict[str, Any], Body(openapi_examples={"notes": {
                    "summary": "New notes", "value": {"notities": "Lokaal 12, sleutel bij de conciërge."}}})],
                ) -> dict[str, Any]:
    """Change some fields of a vraag (the others stay as they are), with the form's rules: after
    assignment only notes and hours change, and the invaller is told."""
    with transaction(request.app.state.ctx.sessions) as db:
        vraag = _own(db, account, vraag_id, for_update=True)
        merged = {**bestuur_views._vraag_values(vraag), **changes}
        merged = {k: v for k, v in merged.items() if v not in ("", None)}
        try:
            data = VraagIn.model_validate(merged)
        except ValidationError as exc:
            lang = language_of(request)
            errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))[:200]}
                      for e in exc.errors()[:10]]
            return JSONResponse({"detail": text("invalid_input", lang), "code": "invalid_input", "errors": errors},
                                status_code=422)  # type: ignore[return-value]
        flows.edit_vraag(db_session=db, links=_links(request), vraag=vraag, data=data,
                         scope_bestuur_id=bestuur_service.scope_of(account), actor=koppeling.actor_of(account))
        return _full(db, vraag)


@api.post("/vervangingsvragen/{vraag_id}/annuleren", dependencies=[CsrfChecked],
          summary="Cancel a vervangingsvraag")
def cancel_vraag(request: Request, vraag_id: str, account: Editor) -> dict[str, Any]:
    """Withdraw a vraag: the assignment is released, the invaller (if any) and open offers are told."""
    with transaction(request.app.state.ctx.sessions) as db:
        vraag = _own(db, account, vraag_id, for_update=True)
        flows.cancel_vraag(db_session=db, vraag=vraag, actor=koppeling.actor_of(account))
        return _full(db, vraag)


@api.post("/vervangingsvragen/{vraag_id}/toewijzing-intrekken", dependencies=[CsrfChecked])
def withdraw_assignment(request: Request, vraag_id: str, account: Editor) -> dict[str, Any]:
    """Take the work back from the invaller; the vraag reopens, waiting list first."""
    with transaction(request.app.state.ctx.sessions) as db:
        vraag = _own(db, account, vraag_id, for_update=True)
        flows.cancel_assignment(db_session=db, links=_links(request), vraag=vraag, by="bestuur",
                                actor=koppeling.actor_of(account))
        return _full(db, vraag)


@api.get("/vervangingsvragen/{vraag_id}/kandidaten")
def candidates(request: Request, vraag_id: str, account: Viewer,
               invaller: Annotated[str | None, Query(max_length=32)] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    """"Why this person": the best eligible invallers with their soft scores; with ``invaller=<id>`` also
    "why not": every hard filter that person fails."""
    lang = language_of(request)
    with request.app.state.ctx.sessions() as db:
        vraag = _own(db, account, vraag_id)
        data = service.vraag_data(db_session=db, vraag=vraag)
        pool = invaller_service.load_pool(db_session=db, dagen=data.dagen)
        ranked = invalpool.rank(data, pool, limit=limit)
        names = dict(db.execute(select(Invaller.id, Invaller.naam).where(
            Invaller.id.in_([r.invaller_id for r in ranked] + [invaller or ""]))).all())
        out: dict[str, Any] = {
            "vraag_id": vraag.id, "gewichten": invalpool.WEIGHTS,
            "kandidaten": [{"invaller_id": r.invaller_id, "naam": names.get(r.invaller_id), "score": r.score,
                            "afstand_km": r.distance_km, "onderdelen": dict(r.components),
                            "redenen": invalpool.component_texts(r, pool, data, lang)} for r in ranked],
        }
        if invaller:
            if invaller not in pool.index and db.get(Invaller, invaller) is None:
                raise LoketError(404, "not_found")
            explanation = invalpool.explain(data, pool, invaller, lang)
            out["uitleg"] = {"invaller_id": invaller, "naam": names.get(invaller), "geschikt": explanation.eligible,
                             "niet_omdat": [{"code": c, "tekst": t} for c, t in explanation.hard],
                             "score": explanation.score, "redenen": explanation.soft}
        return out


@api.get("/invalpool/cijfers")
def figures(request: Request, account: Figures,
            van: Annotated[date | None, Query()] = None, tot: Annotated[date | None, Query()] = None,
            bestuur: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """Fill rate by lead time, time to fill, offers per acceptance and spread of work (default: last 90 days).
    A bestuur account always gets its own figures."""
    today = service.local_today(clock.now())
    tot = tot or today
    van = van or tot - timedelta(days=90)
    if van > tot or (tot - van).days > MAX_FIGURE_DAYS:
        raise LoketError(422, "figures_period")
    scope = bestuur_service.scope_of(account)
    if scope is not None and bestuur not in (None, "", scope):
        raise LoketError(404, "not_found")
    with request.app.state.ctx.sessions() as db:
        return service.figures(db_session=db, van=van, tot=tot, bestuur_id=scope or bestuur or None)


@api.get("/invallers/{invaller_id}/link")
def personal_link(request: Request, invaller_id: str, account: InvallerEditor) -> dict[str, str]:
    """The invaller's personal page link, for staff to send when someone lost theirs."""
    with request.app.state.ctx.sessions() as db:
        if db.get(Invaller, invaller_id[:32]) is None:
            raise LoketError(404, "not_found")
    return {"link": _links(request).personal(invaller_id)}


# --- planning page --------------------------------------------------------------------------------------

def _plan_day(raw: str | None) -> date:
    if raw:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            pass
    return bestuur_views.next_school_day(service.local_today(clock.now()))


@pages.get("/console/invalpool/planning", response_class=HTMLResponse)
def planning(request: Request, account: Planner, datum: str | None = None) -> Response:
    """The evening-before proposal for every open vraag of a day, to confirm, change or reject."""
    day = _plan_day(datum)
    with request.app.state.ctx.sessions() as db:
        proposals = flows.plan_for_day(db_session=db, day=day)
    return render(request, "invalpool/planning.html", day=day, proposals=proposals, results=None)


@pages.post("/console/invalpool/planning", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def confirm_planning(request: Request, account: Planner) -> Response:
    """Assign the chosen invallers; a vraag left on "niet inplannen" stays with the dispatch."""
    form = await request.form()
    day = _plan_day(str(form.get("datum") or ""))
    choices = []
    for key, value in list(form.multi_items())[:2000]:
        if key.startswith("keuze_") and isinstance(value, str) and value:
            choices.append((key.removeprefix("keuze_")[:64], value[:32]))
    with transaction(request.app.state.ctx.sessions) as db:
        results = flows.confirm_plan(db_session=db, links=_links(request), choices=choices,
                                     actor=f"medewerker:{account.id}")
    with request.app.state.ctx.sessions() as db:
        proposals = flows.plan_for_day(db_session=db, day=day)
    return render(request, "invalpool/planning.html", day=day, proposals=proposals, results=results)


router.include_router(api)
router.include_router(pages)
router.include_router(bestuur_views.router)
router.include_router(bestuur_koppeling_views.router)
router.include_router(invaller_views.router)
