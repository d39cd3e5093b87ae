"""Pages for invallers, who have no account: their own page behind a signed long-lived link (profile,
availability calendar, offers, assignments, contract chain, documents) and the page of one offer behind
a signed per-offer link (yes / no). A changed or expired link gets a clear page, never someone's data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from loket import clock
from loket.auth.deps import CsrfChecked
from loket.auth.links import LinkInvalid
from loket.bestuur.models import Bestuur, School
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import text
from loket.invaller import service
from loket.invaller.models import Invaller, InvallerGoedkeuring
from loket.pages import render
from loket.vervangingsvraag import flows
from loket.vervangingsvraag import service as vraag_service
from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag
from matching.invalpool import DAGDELEN, GROEPEN

router = APIRouter(tags=["invaller"], include_in_schema=False)

CALENDAR_DAYS = 28
MAX_TOKEN = 600  # a real token is ~100 characters; anything much longer is not ours


def _invalid(request: Request, exc: LinkInvalid, *, what: str) -> Response:
    if exc.expired:
        message = (f"Deze {what} is verlopen. Gebruik de link uit je nieuwste e-mail, of vraag het loket "
                   "om een nieuwe link.")
        return render(request, "message.html", status_code=410, heading="Link verlopen", message=message)
    message = (f"Deze {what} klopt niet. Misschien is hij niet helemaal gekopieerd. Gebruik de link uit je "
               "e-mail, of vraag het loket om hulp.")
    return render(request, "message.html", status_code=403, heading="Link werkt niet", message=message)


def _invaller(request: Request, db: Any, token: str) -> Invaller:
    if len(token) > MAX_TOKEN:
        raise LinkInvalid(expired=False)
    return service.from_token(db_session=db, secret=request.app.state.ctx.settings.secret(), token=token)


def _calendar(today: date) -> list[date]:
    return vraag_service.school_days(today, today + timedelta(days=CALENDAR_DAYS - 1))


@router.get("/invaller/{token}", response_class=HTMLResponse)
def personal_page(request: Request, token: str) -> Response:
    """The invaller's own page."""
    ctx = request.app.state.ctx
    links = flows.Links.from_settings(ctx.settings)
    today = vraag_service.local_today(clock.now())
    with ctx.sessions() as db:
        try:
            invaller = _invaller(request, db, token)
        except LinkInvalid as exc:
            return _invalid(request, exc, what="persoonlijke link")
        days = _calendar(today)
        slots = service.availability(db_session=db, invaller_id=invaller.id, van=days[0], tot=days[-1])
        offer_rows = db.execute(
            select(Aanbod, Vervangingsvraag, School).join(Vervangingsvraag, Vervangingsvraag.id == Aanbod.vraag_id)
            .join(School, School.id == Vervangingsvraag.school_id)
            .where(Aanbod.invaller_id == invaller.id, Aanbod.status.in_(("verstuurd", "wachtlijst")),
                   Vervangingsvraag.status.in_(("open", "gevuld")), Vervangingsvraag.datum_tot >= today)
            .order_by(Vervangingsvraag.datum_van)).all()
        offers = [(a, v, s, links.aanbod(a.id)) for a, v, s in offer_rows]
        work = service.assignments(db_session=db, invaller_id=invaller.id, van=today)
        chains = service.chain_counts(db_session=db, ref=today, invaller_ids=[invaller.id]).get(invaller.id, {})
        approvals = db.execute(select(Bestuur, InvallerGoedkeuring.status).join(
            InvallerGoedkeuring, InvallerGoedkeuring.bestuur_id == Bestuur.id)
            .where(InvallerGoedkeuring.invaller_id == invaller.id).order_by(Bestuur.naam)).all()
    warn_before = today + timedelta(days=42)
    return render(request, "invaller/home.html", invaller=invaller, token=token, days=days, slots=slots,
                  offers=offers, work=work, chains=chains, approvals=approvals, groepen=GROEPEN, dagdelen=DAGDELEN,
                  today=today, warn_before=warn_before, flash=request.query_params.get("melding", "")[:200])


@router.post("/invaller/{token}/profiel", dependencies=[CsrfChecked])
async def save_profile(request: Request, token: str) -> Response:
    """Save groups, travel distance and "unavailable until"."""
    form = await request.form()
    ctx = request.app.state.ctx
    groepen = [str(g) for g in form.getlist("groepen")][:8]
    try:
        km = float(str(form.get("max_afstand_km") or "").replace(",", ".")[:10])
    except ValueError:
        km = -1
    until_raw = str(form.get("onbeschikbaar_tot") or "")[:10]
    try:
        until = date.fromisoformat(until_raw) if until_raw else None
    except ValueError:
        until = date.min
    with transaction(ctx.sessions) as db:
        try:
            invaller = _invaller(request, db, token)
        except LinkInvalid as exc:
            return _invalid(request, exc, what="persoonlijke link")
        if not 1 <= km <= 150 or until == date.min:
            message = ("Vul een reisafstand in tussen 1 en 150 km." if not 1 <= km <= 150
                       else "Vul een geldige datum in (dd-mm-jjjj), of laat het veld leeg.")
            return render(request, "message.html", status_code=422, heading="Dat kan niet", message=message,
                          link=f"/invaller/{token}", link_text="Terug naar je pagina")
        service.update_profile(db_session=db, invaller=invaller, groepen=groepen, max_afstand_km=km,
                               onbeschikbaar_tot=until)
    return RedirectResponse(f"/invaller/{token}?melding=Opgeslagen.", status_code=303)


@router.post("/invaller/{token}/beschikbaarheid", dependencies=[CsrfChecked])
async def save_availability(request: Request, token: str) -> Response:
    """Save the calendar of the coming four weeks (one checkbox per school day and day part)."""
    form = await request.form()
    ctx = request.app.state.ctx
    today = vraag_service.local_today(clock.now())
    days = _calendar(today)
    slots: dict[date, set[str]] = {}
    for value in form.getlist("slot")[: len(days) * 2]:
        day_raw, _, part = str(value).partition("_")
        try:
            day = date.fromisoformat(day_raw)
        except ValueError:
            continue
        if day in days and part in DAGDELEN:
            slots.setdefault(day, set()).add(part)
    with transaction(ctx.sessions) as db:
        try:
            invaller = _invaller(request, db, token)
        except LinkInvalid as exc:
            return _invalid(request, exc, what="persoonlijke link")
        service.set_availability(db_session=db, invaller_id=invaller.id, van=days[0], tot=days[-1], slots=slots)
    return RedirectResponse(f"/invaller/{token}?melding=Je+agenda+is+opgeslagen.", status_code=303)


@router.post("/invaller/{token}/inzet/{vraag_id}/afzeggen", dependencies=[CsrfChecked])
def cancel_work(request: Request, token: str, vraag_id: str) -> Response:
    """The invaller cannot come after all: the vraag reopens for others (waiting list first)."""
    ctx = request.app.state.ctx
    try:
        with transaction(ctx.sessions) as db:
            try:
                invaller = _invaller(request, db, token)
            except LinkInvalid as exc:
                return _invalid(request, exc, what="persoonlijke link")
            vraag = vraag_service.get(db_session=db, vraag_id=vraag_id[:64], for_update=True)
            if vraag is None or vraag.invaller_id != invaller.id:
                raise LoketError(404, "not_found")
            flows.cancel_assignment(db_session=db, links=flows.Links.from_settings(ctx.settings), vraag=vraag,
                                    by="invaller", actor=f"invaller:{invaller.id}", invaller_id=invaller.id)
    except LoketError as exc:
        return render(request, "message.html", status_code=exc.status_code, heading="Dat kan niet",
                      message=text(exc.key, "nl"), link=f"/invaller/{token}", link_text="Terug naar je pagina")
    return RedirectResponse(f"/invaller/{token}?melding=Afgezegd.+De+school+weet+het.", status_code=303)


# --- one offer ------------------------------------------------------------------------------------------

def _offer_context(request: Request, db: Any, token: str) -> dict[str, Any]:
    if len(token) > MAX_TOKEN:
        raise LinkInvalid(expired=False)
    ctx = request.app.state.ctx
    aanbod = flows.aanbod_from_token(db_session=db, secret=ctx.settings.secret(), token=token)
    vraag = db.get(Vervangingsvraag, aanbod.vraag_id)
    school = db.get(School, vraag.school_id) if vraag else None
    invaller = db.get(Invaller, aanbod.invaller_id)
    if vraag is None or school is None or invaller is None:
        raise LinkInvalid(expired=False)
    links = flows.Links.from_settings(ctx.settings)
    return {"aanbod": aanbod, "vraag": vraag, "school": school, "invaller": invaller, "token": token,
            "personal": links.personal(invaller.id).removeprefix(ctx.settings.base_url)}


@router.get("/aanbod/{token}", response_class=HTMLResponse)
def offer_page(request: Request, token: str) -> Response:
    """The offer: what, where, when, why you; yes and no buttons while it is open."""
    with request.app.state.ctx.sessions() as db:
        try:
            context = _offer_context(request, db, token)
        except LinkInvalid as exc:
            return _invalid(request, exc, what="link naar het aanbod")
    vraag, aanbod = context["vraag"], context["aanbod"]
    answerable = vraag.status == "open" and aanbod.status in ("verstuurd", "wachtlijst", "vergeven")
    return render(request, "invaller/aanbod.html", answerable=answerable, result=None, **context)


def _answer(request: Request, token: str, accept: bool) -> Response:
    ctx = request.app.state.ctx
    links = flows.Links.from_settings(ctx.settings)
    with transaction(ctx.sessions) as db:
        try:
            context = _offer_context(request, db, token)
        except LinkInvalid as exc:
            return _invalid(request, exc, what="link naar het aanbod")
        aanbod = context["aanbod"]
        if accept:
            result = flows.accept_offer(db_session=db, links=links, aanbod_id=aanbod.id, invaller_id=aanbod.invaller_id)
        else:
            result = flows.decline_offer(db_session=db, aanbod_id=aanbod.id, invaller_id=aanbod.invaller_id)
    status = 200 if result.outcome in ("toegewezen", "geweigerd", "al_geaccepteerd") else 409
    return render(request, "invaller/aanbod.html", status_code=status, answerable=False, result=result,
                  **context)


@router.post("/aanbod/{token}/ja", response_class=HTMLResponse, dependencies=[CsrfChecked])
def accept(request: Request, token: str) -> Response:
    """Yes: the first yes gets the work."""
    return _answer(request, token, accept=True)


@router.post("/aanbod/{token}/nee", response_class=HTMLResponse, dependencies=[CsrfChecked])
def decline(request: Request, token: str) -> Response:
    """No, thank you."""
    return _answer(request, token, accept=False)
