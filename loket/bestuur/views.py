"""The bestuur's pages: its vervangingsvragen (post, change, cancel, live status) and its invallers
(approve for its schools, put on a school's preferred list). Staff see every bestuur."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, or_, select

from loket import clock
from loket.auth.deps import Allowed, CsrfChecked
from loket.auth.policy import scope_bestuur
from loket.bestuur import service as bestuur_service
from loket.bestuur.models import School
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import text
from loket.invaller import service as invaller_service
from loket.invaller.models import Invaller
from loket.medewerker.models import Medewerker
from loket.pages import render
from loket.vervangingsvraag import flows, service
from loket.vervangingsvraag.models import Vervangingsvraag, VraagIn
from matching.invalpool import GROEPEN

router = APIRouter(tags=["bestuur"], include_in_schema=False)

Viewer = Annotated[Medewerker, Depends(Allowed("vervangingsvraag.view"))]
Creator = Annotated[Medewerker, Depends(Allowed("vervangingsvraag.create"))]
Editor = Annotated[Medewerker, Depends(Allowed("vervangingsvraag.edit"))]
Approver = Annotated[Medewerker, Depends(Allowed("invaller.approve"))]

FIELD_ERRORS = {
    "school_id": "Kies een school.",
    "datum_van": "Vul een geldige eerste dag in (dd-mm-jjjj).",
    "datum_tot": "Vul een geldige laatste dag in, of laat het leeg.",
    "dagdelen": "Kies de ochtend, de middag of allebei.",
    "groepen": "Kies alleen groepen uit de lijst.",
    "uren": "Vul een aantal uren in tussen 0 en 60.",
    "vereist": "Kies wat de invaller moet kunnen.",
    "notities": "De opmerking is te lang (hoogstens 2000 tekens).",
    "urgentie": "Kies of het vandaag nog moet.",
    "genoemde_invaller_id": "Die invaller kennen we niet.",
}
FORM_FIELDS = ("school_id", "datum_van", "datum_tot", "uren", "vereist", "notities", "urgentie", "genoemde_invaller_id")


def form_to_vraag(form: Any) -> tuple[VraagIn | None, list[str], dict[str, Any]]:
    """Read the vraag form; return the valid input, or None with Dutch error sentences, and the values typed."""
    values: dict[str, Any] = {k: str(form.get(k) or "")[:4000] for k in FORM_FIELDS}
    values["dagdelen"] = [str(v) for v in form.getlist("dagdelen")][:4]
    values["groepen"] = [str(v) for v in form.getlist("groepen")][:8]
    raw = {k: v for k, v in values.items() if v not in ("", None)}
    raw.setdefault("dagdelen", [])
    try:
        return VraagIn.model_validate(raw), [], values
    except ValidationError as exc:
        errors: list[str] = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            message = FIELD_ERRORS.get(field) or str(error.get("msg", "")).removeprefix("Value error, ").capitalize()
            if message not in errors:
                errors.append(message + ("" if message.endswith(".") else "."))
        return None, errors, values


def _vraag_values(vraag: Vervangingsvraag) -> dict[str, Any]:
    return {"school_id": vraag.school_id, "datum_van": vraag.datum_van.isoformat(),
            "datum_tot": vraag.datum_tot.isoformat(), "dagdelen": vraag.dagdelen, "groepen": vraag.groepen,
            "uren": vraag.uren, "vereist": vraag.vereist, "notities": vraag.notities, "urgentie": vraag.urgentie,
            "genoemde_invaller_id": vraag.genoemde_invaller_id or ""}


def _own_vraag(db: Any, account: Medewerker, vraag_id: str, *, for_update: bool = False) -> Vervangingsvraag:
    vraag = service.get(db_session=db, vraag_id=vraag_id[:64], for_update=for_update)
    # Someone else's vraag answers exactly like a missing one: nothing about it leaks.
    if vraag is None or not scope_bestuur(account, vraag.bestuur_id):
        raise LoketError(404, "not_found")
    return vraag


def _not_found(request: Request) -> Response:
    return render(request, "message.html", status_code=404, heading="Niet gevonden",
                  message=text("not_found", "nl"), link="/bestuur", link_text="Naar je vervangingsvragen")


@router.get("/bestuur", response_class=HTMLResponse)
def home(request: Request, account: Viewer, status: str = "") -> Response:
    """The bestuur's vragen with their live status."""
    scope = bestuur_service.scope_of(account)
    ctx = request.app.state.ctx
    with ctx.sessions() as db:
        rows = service.list_for(db_session=db, bestuur_id=scope, status=status[:16] or None)
        names = dict(db.execute(select(Invaller.id, Invaller.naam).where(
            Invaller.id.in_([v.invaller_id for v, _ in rows if v.invaller_id]))).all())
        bestuur = bestuur_service.get(db_session=db, bestuur_id=scope) if scope else None
    return render(request, "bestuur/home.html", rows=rows, names=names, bestuur=bestuur,
                  statuses=flows.STATUS_TEXTS, status=status, flash=request.query_params.get("melding", "")[:200])


@router.get("/bestuur/vragen/status")
def status_json(request: Request, account: Viewer) -> JSONResponse:
    """The status of the bestuur's current vragen, for the page to poll."""
    scope = bestuur_service.scope_of(account)
    with request.app.state.ctx.sessions() as db:
        rows = service.list_for(db_session=db, bestuur_id=scope, limit=200)
        names = dict(db.execute(select(Invaller.id, Invaller.naam).where(
            Invaller.id.in_([v.invaller_id for v, _ in rows if v.invaller_id]))).all())
    return JSONResponse({"vragen": [flows.vraag_json(v, s, names.get(v.invaller_id or "")) for v, s in rows]},
                        headers={"Cache-Control": "no-store"})


def _form_page(request: Request, *, vraag: Vervangingsvraag | None, values: dict[str, Any], errors: list[str],
               status_code: int = 200) -> Response:
    scope = bestuur_service.scope_of(request.state.account)
    with request.app.state.ctx.sessions() as db:
        schools = service.schools_for(db_session=db, bestuur_id=scope)
    today = service.local_today(clock.now())
    return render(request, "bestuur/vraag_form.html", status_code=status_code, vraag=vraag, values=values,
                  errors=errors, schools=schools, groepen=GROEPEN, today=today.isoformat())


STATUS_JS = Path(__file__).resolve().parent.parent / "templates" / "bestuur" / "status.js"


@router.get("/bestuur/status.js")
def status_script() -> Response:
    """The page's small polling script (a file of its own: the pages' CSP allows no inline scripts)."""
    return Response(STATUS_JS.read_text(encoding="utf-8"), media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=300"})


@router.get("/bestuur/vragen/nieuw", response_class=HTMLResponse)
def new_form(request: Request, account: Creator) -> Response:
    """The form for a new vraag."""
    tomorrow = service.local_today(clock.now()) + timedelta(days=1)
    while tomorrow.weekday() >= 5:
        tomorrow += timedelta(days=1)
    values = {"datum_van": tomorrow.isoformat(), "dagdelen": ["ochtend", "middag"], "groepen": [],
              "vereist": "po_bevoegdheid", "urgentie": "normaal"}
    return _form_page(request, vraag=None, values=values, errors=[])


@router.post("/bestuur/vragen", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def create(request: Request, account: Creator) -> Response:
    """Post a new vraag from the form; the first offers go out right away."""
    data, errors, values = form_to_vraag(await request.form())
    if data is None:
        return _form_page(request, vraag=None, values=values, errors=errors, status_code=422)
    ctx = request.app.state.ctx
    try:
        with transaction(ctx.sessions) as db:
            vraag = flows.create_vraag(db_session=db, links=flows.Links.from_settings(ctx.settings), data=data,
                                       scope_bestuur_id=bestuur_service.scope_of(account),
                                       actor=f"medewerker:{account.id}")
            vraag_id = vraag.id
    except LoketError as exc:
        return _form_page(request, vraag=None, values=values, errors=[text(exc.key, "nl")], status_code=422)
    return RedirectResponse(f"/bestuur/vragen/{vraag_id}", status_code=303)


@router.get("/bestuur/vragen/{vraag_id}", response_class=HTMLResponse)
def detail(request: Request, vraag_id: str, account: Viewer) -> Response:
    """One vraag: status, who got it and why, the offers made."""
    with request.app.state.ctx.sessions() as db:
        try:
            vraag = _own_vraag(db, account, vraag_id)
        except LoketError:
            return _not_found(request)
        school = db.get(School, vraag.school_id)
        offers = service.offers(db_session=db, vraag_id=vraag.id)
        names = dict(db.execute(select(Invaller.id, Invaller.naam).where(
            Invaller.id.in_([a.invaller_id for a in offers] + [vraag.invaller_id or ""]))).all())
    accepted = next((a for a in offers if a.invaller_id == vraag.invaller_id and a.status == "geaccepteerd"), None)
    return render(request, "bestuur/vraag.html", vraag=vraag, school=school, offers=offers, names=names,
                  accepted=accepted, statuses=flows.STATUS_TEXTS, stages=flows.STAGES,
                  flash=request.query_params.get("melding", "")[:200])


@router.get("/bestuur/vragen/{vraag_id}/wijzigen", response_class=HTMLResponse)
def edit_form(request: Request, vraag_id: str, account: Editor) -> Response:
    """The form to change a vraag."""
    with request.app.state.ctx.sessions() as db:
        try:
            vraag = _own_vraag(db, account, vraag_id)
        except LoketError:
            return _not_found(request)
    return _form_page(request, vraag=vraag, values=_vraag_values(vraag), errors=[])


@router.post("/bestuur/vragen/{vraag_id}/wijzigen", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def edit(request: Request, vraag_id: str, account: Editor) -> Response:
    """Save a changed vraag."""
    data, errors, values = form_to_vraag(await request.form())
    ctx = request.app.state.ctx
    with ctx.sessions() as db:
        try:
            vraag = _own_vraag(db, account, vraag_id)
        except LoketError:
            return _not_found(request)
    if data is None:
        return _form_page(request, vraag=vraag, values=values, errors=errors, status_code=422)
    try:
        with transaction(ctx.sessions) as db:
            current = _own_vraag(db, account, vraag_id, for_update=True)
            flows.edit_vraag(db_session=db, links=flows.Links.from_settings(ctx.settings), vraag=current, data=data,
                             scope_bestuur_id=bestuur_service.scope_of(account), actor=f"medewerker:{account.id}")
    except LoketError as exc:
        return _form_page(request, vraag=vraag, values=values, errors=[text(exc.key, "nl")], status_code=409)
    return RedirectResponse(f"/bestuur/vragen/{vraag_id}?melding=De+vraag+is+gewijzigd.", status_code=303)


def _action(request: Request, vraag_id: str, account: Medewerker, act: Any, done: str) -> Response:
    ctx = request.app.state.ctx
    try:
        with transaction(ctx.sessions) as db:
            vraag = _own_vraag(db, account, vraag_id, for_update=True)
            act(db, vraag)
    except LoketError as exc:
        if exc.status_code == 404:
            return _not_found(request)
        return render(request, "message.html", status_code=exc.status_code, heading="Dat kan niet",
                      message=text(exc.key, "nl"), link=f"/bestuur/vragen/{vraag_id}", link_text="Terug naar de vraag")
    return RedirectResponse(f"/bestuur/vragen/{vraag_id}?melding={done}", status_code=303)


@router.post("/bestuur/vragen/{vraag_id}/annuleren", dependencies=[CsrfChecked])
def cancel(request: Request, vraag_id: str, account: Editor) -> Response:
    """Withdraw the vraag (no cover needed any more)."""
    return _action(request, vraag_id, account, lambda db, v: flows.cancel_vraag(
        db_session=db, vraag=v, actor=f"medewerker:{account.id}"), "De+vraag+is+ingetrokken.")


@router.post("/bestuur/vragen/{vraag_id}/toewijzing-intrekken", dependencies=[CsrfChecked])
def withdraw_assignment(request: Request, vraag_id: str, account: Editor) -> Response:
    """Take the work back from the invaller; the vraag reopens (waiting list first)."""
    links = flows.Links.from_settings(request.app.state.ctx.settings)
    return _action(request, vraag_id, account, lambda db, v: flows.cancel_assignment(
        db_session=db, links=links, vraag=v, by="bestuur", actor=f"medewerker:{account.id}"),
        "De+toewijzing+is+ingetrokken.+We+zoeken+opnieuw.")


# --- invallers of the bestuur ---------------------------------------------------------------------------

@router.get("/bestuur/invallers", response_class=HTMLResponse)
def invallers(request: Request, account: Approver, q: str = "", bestuur: str = "") -> Response:
    """The pool's invallers with this bestuur's approval, and the preferred lists of its schools."""
    scope = bestuur_service.scope_of(account)
    with request.app.state.ctx.sessions() as db:
        besturen = bestuur_service.participating(db_session=db)
        bestuur_id = scope or (bestuur[:64] if bestuur else (besturen[0].id if besturen else None))
        if bestuur_id is None:
            return render(request, "message.html", heading="Geen besturen", message="Er doen nog geen besturen mee.")
        query = select(Invaller).where(Invaller.actief.is_(True))
        if q.strip():
            like = f"%{q.strip()[:100]}%"
            query = query.where(or_(Invaller.naam.ilike(like), Invaller.id == q.strip()[:32]))
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        people = list(db.scalars(query.order_by(Invaller.naam, Invaller.id).limit(100)))
        approvals = invaller_service.approvals(db_session=db, bestuur_id=bestuur_id)
        schools = bestuur_service.schools(db_session=db, bestuur_id=bestuur_id)
        prefs = invaller_service.school_preferences(db_session=db, school_ids=[s.id for s in schools])
        chains = invaller_service.chain_counts(db_session=db, ref=service.local_today(clock.now()),
                                               invaller_ids=[p.id for p in people])
        current = bestuur_service.get(db_session=db, bestuur_id=bestuur_id)
    preferred_by = {p.id: [s for s in schools if p.id in prefs.get(s.id, set())] for p in people}
    return render(request, "bestuur/invallers.html", people=people, approvals=approvals, schools=schools,
                  preferred_by=preferred_by, chains=chains, q=q[:100], total=total, bestuur=current,
                  besturen=besturen if scope is None else [], today=service.local_today(clock.now()),
                  flash=request.query_params.get("melding", "")[:200])


@router.post("/bestuur/invallers/{invaller_id}", dependencies=[CsrfChecked])
async def decide(request: Request, invaller_id: str, account: Approver) -> Response:
    """Approve or reject an invaller for the bestuur's schools, or change a school's preferred list."""
    form = await request.form()
    scope = bestuur_service.scope_of(account)
    bestuur_id = scope or str(form.get("bestuur_id") or "")[:64]
    status = str(form.get("status") or "")
    school_id = str(form.get("school_id") or "")[:64]
    voorkeur = str(form.get("voorkeur") or "")
    ctx = request.app.state.ctx
    with transaction(ctx.sessions) as db:
        invaller = db.get(Invaller, invaller_id[:32])
        bestuur = bestuur_service.get(db_session=db, bestuur_id=bestuur_id)
        if invaller is None or bestuur is None:
            return render(request, "message.html", status_code=404, heading="Niet gevonden",
                          message=text("not_found", "nl"), link="/bestuur/invallers", link_text="Terug")
        if status in ("goedgekeurd", "afgewezen"):
            invaller_service.set_approval(db_session=db, invaller_id=invaller.id, bestuur_id=bestuur.id, status=status)
            melding = "Goedgekeurd." if status == "goedgekeurd" else "Afgewezen."
        elif school_id and voorkeur in ("ja", "nee"):
            school = db.get(School, school_id)
            if school is None or school.bestuur_id != bestuur.id:
                return render(request, "message.html", status_code=404, heading="Niet gevonden",
                              message=text("not_found", "nl"), link="/bestuur/invallers", link_text="Terug")
            invaller_service.set_school_preference(db_session=db, school_id=school.id, invaller_id=invaller.id,
                                                   preferred=voorkeur == "ja")
            melding = "Voorkeurslijst bijgewerkt."
        else:
            return render(request, "message.html", status_code=422, heading="Dat kan niet",
                          message=text("invalid_input", "nl"), link="/bestuur/invallers", link_text="Terug")
    suffix = "" if scope else f"&bestuur={bestuur_id}"
    return RedirectResponse(f"/bestuur/invallers?melding={quote(melding)}{suffix}", status_code=303)


def next_school_day(day: date) -> date:
    """The first Monday-to-Friday after ``day``."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
