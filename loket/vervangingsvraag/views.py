"""The invalpool API (``/api/v1/vervangingsvragen``, figures, candidates with reasons) and the
coordinator's evening-before planning page. ``router`` also carries the bestuur and invaller pages, so
``loket/api.py`` mounts the whole invalpool with one line."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from loket import clock
from loket.auth.deps import Allowed, CsrfChecked
from loket.auth.policy import scope_bestuur
from loket.bestuur import service as bestuur_service
from loket.bestuur import views as bestuur_views
from loket.bestuur.models import School
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import TEXTS, language_of, text
from loket.invaller import service as invaller_service
from loket.invaller import views as invaller_views
from loket.invaller.models import Invaller
from loket.medewerker.models import Medewerker
from loket.pages import render
from loket.vervangingsvraag import flows, service
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


def _full(db: Any, vraag: Any) -> dict[str, Any]:
    school = db.get(School, vraag.school_id)
    naam = None
    if vraag.invaller_id:
        invaller = db.get(Invaller, vraag.invaller_id)
        naam = invaller.naam if invaller else None
    offers = service.offers(db_session=db, vraag_id=vraag.id)
    out = flows.vraag_json(vraag, school, naam, offers)
    accepted = next((a for a in offers if a.invaller_id == vraag.invaller_id and a.status == "geaccepteerd"), None)
    out["waarom"] = list(accepted.redenen) if accepted else []
    return out


@api.get("/vervangingsvragen")
def list_vragen(request: Request, account: Viewer,
                status: Annotated[str | None, Query(max_length=16)] = None) -> dict[str, Any]:
    """The account's vragen (a bestuur: its own; staff: all), newest first."""
    scope = bestuur_service.scope_of(account)
    with request.app.state.ctx.sessions() as db:
        rows = service.list_for(db_session=db, bestuur_id=scope, status=status)
        return {"vragen": [flows.vraag_json(v, s) for v, s in rows]}


@api.post("/vervangingsvragen", status_code=201, dependencies=[CsrfChecked])
def create_vraag(request: Request, account: Creator, data: VraagIn) -> dict[str, Any]:
    """Post a vraag; the first offers go out right away."""
    with transaction(request.app.state.ctx.sessions) as db:
        vraag = flows.create_vraag(db_session=db, links=_links(request), data=data,
                                   scope_bestuur_id=bestuur_service.scope_of(account),
                                   actor=f"medewerker:{account.id}")
        return _full(db, vraag)


@api.get("/vervangingsvragen/{vraag_id}")
def get_vraag(request: Request, vraag_id: str, account: Viewer) -> dict[str, Any]:
    """One vraag with its offers and, once filled, why this invaller."""
    with request.app.state.ctx.sessions() as db:
        return _full(db, _own(db, account, vraag_id))


@api.patch("/vervangingsvragen/{vraag_id}", dependencies=[CsrfChecked])
def patch_vraag(request: Request, vraag_id: str, account: Editor,
                changes: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Change some fields of a vraag (the others stay as they are)."""
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
                         scope_bestuur_id=bestuur_service.scope_of(account), actor=f"medewerker:{account.id}")
        return _full(db, vraag)


@api.post("/vervangingsvragen/{vraag_id}/annuleren", dependencies=[CsrfChecked])
def cancel_vraag(request: Request, vraag_id: str, account: Editor) -> dict[str, Any]:
    """Withdraw a vraag: the invaller (if any) and open offers are told."""
    with transaction(request.app.state.ctx.sessions) as db:
        vraag = _own(db, account, vraag_id, for_update=True)
        flows.cancel_vraag(db_session=db, vraag=vraag, actor=f"medewerker:{account.id}")
        return _full(db, vraag)


@api.post("/vervangingsvragen/{vraag_id}/toewijzing-intrekken", dependencies=[CsrfChecked])
def withdraw_assignment(request: Request, vraag_id: str, account: Editor) -> dict[str, Any]:
    """Take the work back from the invaller; the vraag reopens, waiting list first."""
    with transaction(request.app.state.ctx.sessions) as db:
        vraag = _own(db, account, vraag_id, for_update=True)
        flows.cancel_assignment(db_session=db, links=_links(request), vraag=vraag, by="bestuur",
                                actor=f"medewerker:{account.id}")
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
router.include_router(invaller_views.router)
