"""The coach's own pages (/coach): their requests, accepting and planning, and their availability."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from loket.auth.deps import Allowed, CsrfChecked
from loket.auth.policy import scope_coach
from loket.coach import service
from loket.coach.models import EXPERTISE_TAGS
from loket.context import AppContext
from loket.db import transaction
from loket.loopbaangesprek import messaging
from loket.loopbaangesprek import service as gesprekken
from loket.loopbaangesprek import views as gesprek_views
from loket.loopbaangesprek.models import Loopbaangesprek
from loket.medewerker.models import Medewerker
from loket.pages import render

router = APIRouter(prefix="/coach", include_in_schema=False)
CoachAccount = Annotated[Medewerker, Depends(Allowed("loopbaangesprek.respond"))]


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def _home(
    request: Request,
    account: Medewerker,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    ctx = _ctx(request)
    with ctx.sessions() as db:
        coach = service.get(db_session=db, coach_id=account.coach_id or "")
        if coach is None:
            return render(
                request,
                "message.html",
                status_code=404,
                heading="Geen coach",
                message="Dit account hoort niet bij een coach. Vraag het de beheerder.",
            )
        rows = gesprekken.for_coach(db_session=db, coach_id=coach.id)
        return render(
            request,
            "coach/home.html",
            status_code=status_code,
            coach=coach,
            rows=rows,
            error=error,
            flash=flash,
            tag_label=messaging.tag_label,
            when=messaging.when_text,
            windows=service.format_windows(coach.beschikbaarheid or {}),
            values=values or {},
            expertise_tags=[(t, messaging.tag_label(t)) for t in EXPERTISE_TAGS],
        )


@router.get("", response_class=HTMLResponse)
def home(request: Request, account: CoachAccount) -> Response:
    """The coach's requests and their availability."""
    return _home(request, account)


def _own(db: Any, account: Medewerker, gesprek_id: str) -> Loopbaangesprek | None:
    gesprek = gesprekken.get(db_session=db, gesprek_id=gesprek_id)
    # Someone else's request looks exactly like a missing one: nobody learns which ids exist.
    if gesprek is None or account.rol != "coach" or not scope_coach(account, gesprek.coach_id):
        return None
    return gesprek


def _not_yours(request: Request) -> Response:
    """The same answer for a request that does not exist and one of another coach: nothing leaks."""
    return render(request, "message.html", status_code=404, heading="Niet gevonden",
                  message="Deze aanvraag bestaat niet of is niet aan jou toegewezen.")


@router.get("/gesprek/{gesprek_id}", response_class=HTMLResponse)
def gesprek_page(gesprek_id: str, request: Request, account: CoachAccount) -> Response:
    """One request of this coach."""
    with _ctx(request).sessions() as db:
        gesprek = _own(db, account, gesprek_id)
        if gesprek is None:
            return _not_yours(request)
        offer = gesprekken.open_offer(db_session=db, gesprek_id=gesprek.id)
        return gesprek_views.coach_page(request, db, gesprek, offer, f"/coach/gesprek/{gesprek.id}")


@router.post("/gesprek/{gesprek_id}/{action}", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def gesprek_action(gesprek_id: str, action: str, request: Request, account: CoachAccount) -> Response:
    """Accept, decline, propose times or close one of this coach's requests."""
    ctx = _ctx(request)
    form = await gesprek_views.read_form(request)
    with transaction(ctx.sessions) as db:
        gesprek = _own(db, account, gesprek_id)
        if gesprek is None:
            return _not_yours(request)
        offer = gesprekken.open_offer(db_session=db, gesprek_id=gesprek.id)
        return gesprek_views.coach_action(
            request,
            ctx,
            db,
            gesprek,
            offer,
            f"/coach/gesprek/{gesprek.id}",
            action,
            form,
            actor=f"medewerker:{account.id}",
        )


def _date(value: str, label: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"{label} is geen datum. Gebruik bijvoorbeeld 2026-12-24.") from None


@router.post("/profiel", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def profile(request: Request, account: CoachAccount) -> Response:
    """Change capacity, absence, availability windows and expertise."""
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    expertise = [t for t in form.getlist("expertise") if isinstance(t, str)][:20]
    try:
        capaciteit_text = values.get("capaciteit", "").strip()
        if not capaciteit_text.isdigit():
            raise ValueError("Vul bij capaciteit een heel getal in, bijvoorbeeld 2.")
        windows = service.parse_windows(values.get("beschikbaarheid", ""))
        vanaf = _date(values.get("afwezig_vanaf", ""), "Afwezig vanaf")
        tot = _date(values.get("afwezig_tot", ""), "Afwezig tot en met")
        with transaction(_ctx(request).sessions) as db:
            coach = service.get(db_session=db, coach_id=account.coach_id or "")
            if coach is None:
                raise ValueError("Dit account hoort niet bij een coach.")
            service.update_profile(
                db_session=db,
                coach=coach,
                capaciteit=int(capaciteit_text[:3]),
                afwezig_vanaf=vanaf,
                afwezig_tot=tot,
                beschikbaarheid=windows,
                expertise=expertise,
            )
    except ValueError as exc:
        return _home(request, account, error=str(exc), status_code=422, values=values)
    return _home(request, account, flash="Je gegevens zijn opgeslagen.")
