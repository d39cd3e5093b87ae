"""Staff pages of loopbaangesprekken: the coordinator's queue with SLA age, one request's path, the figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from loket import clock
from loket.auth.deps import Allowed, CsrfChecked
from loket.auth.policy import scope_coach
from loket.bestuur.models import Bestuur
from loket.coach import service as coaches
from loket.context import AppContext
from loket.db import transaction
from loket.loopbaangesprek import flows, messaging, service
from loket.loopbaangesprek.models import LoopbaangesprekToewijzing
from loket.medewerker.models import Medewerker
from loket.pages import render

router = APIRouter(tags=["loopbaangesprek"])
pages = APIRouter(include_in_schema=False)


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


Ctx = Annotated[AppContext, Depends(_ctx)]


def _message(request: Request, heading: str, message: str, status_code: int = 200) -> HTMLResponse:
    return render(request, "message.html", status_code=status_code, heading=heading, message=message)


# ----------------------------------------------------------------- the coordinator's queue


def working_days_since(start: datetime, now: datetime) -> float:
    """Age in working days (Saturdays and Sundays do not count), for the SLA column."""
    days, current = 0.0, start
    while current < now:
        midnight = datetime.combine(current.date(), time(0), tzinfo=current.tzinfo) + timedelta(days=1)
        step = min(now, midnight)
        if current.weekday() < 5:
            days += (step - current).total_seconds() / 86400
        current = step
    return days


@pages.get("/console/loopbaangesprekken", response_class=HTMLResponse)
def queue_page(
    request: Request, ctx: Ctx, account: Annotated[Medewerker, Depends(Allowed("loopbaangesprek.queue"))]
) -> Response:
    """Waiting requests with their SLA age and why no coach took them; open offers with their deadline."""
    return _queue(request, ctx)


def _queue(
    request: Request,
    ctx: AppContext,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    now = clock.now()
    with ctx.sessions() as db:
        waiting = service.waiting(db_session=db)
        besturen = dict(db.execute(select(Bestuur.id, Bestuur.naam)).all())
        all_coaches = coaches.all_coaches(db_session=db)
        rows = []
        for g in waiting:
            allowed = [c for c in all_coaches if c.actief and c.bestuur_id != g.bestuur_id and g.bestuur_id]
            rows.append(
                {
                    "g": g,
                    "bestuur": besturen.get(g.bestuur_id or "", "onbekend"),
                    "age": working_days_since(g.wachtrij_sinds or g.created_at, now),
                    "uitgesloten": (g.toelichting or {}).get("uitgesloten_aantal", {}),
                    "coaches": allowed,
                }
            )
        offers = list(
            db.scalars(
                select(LoopbaangesprekToewijzing)
                .where(LoopbaangesprekToewijzing.status == "aangeboden")
                .order_by(LoopbaangesprekToewijzing.deadline)
            )
        )
        names = {c.id: c.naam for c in all_coaches}
        return render(
            request,
            "loopbaangesprek/wachtrij.html",
            status_code=status_code,
            rows=rows,
            besturen=sorted(besturen.items(), key=lambda item: item[1]),
            offers=offers,
            names=names,
            now=now,
            error=error,
            flash=flash,
            tag_label=messaging.tag_label,
            sla=ctx.settings.loopbaangesprek_sla_werkdagen,
        )


@pages.post(
    "/console/loopbaangesprekken/{gesprek_id}/{action}",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def queue_action(
    gesprek_id: str,
    action: str,
    request: Request,
    ctx: Ctx,
    account: Annotated[Medewerker, Depends(Allowed("loopbaangesprek.queue"))],
    coach_id: Annotated[str, Form()] = "",
    bestuur_id: Annotated[str, Form()] = "",
) -> Response:
    """Route a waiting request again, offer it to a chosen coach (never one of the own bestuur), or set the
    bestuur a teacher did not know and route it then."""
    actor = f"medewerker:{account.id}"
    try:
        with transaction(ctx.sessions) as db:
            gesprek = service.get(db_session=db, gesprek_id=gesprek_id)
            if gesprek is None or action not in ("routeer", "toewijzen", "bestuur"):
                return _message(request, "Niet gevonden", "Deze aanvraag bestaat niet (meer).", 404)
            if action == "bestuur":
                routing = flows.set_bestuur(ctx=ctx, db_session=db, gesprek=gesprek, bestuur_id=bestuur_id[:64],
                                            actor=actor)
                flash = "Het bestuur is vastgelegd. " + (
                    "Er is een coach gevonden." if not routing.waits else "Er is nog geen coach vrij."
                )
            elif action == "routeer":
                if gesprek.status != "wachtend":
                    raise flows.FlowError("Deze aanvraag wacht niet meer in de wachtrij.")
                routing = flows.reroute(ctx=ctx, db_session=db, gesprek=gesprek, actor=actor)
                flash = (
                    "Er is een coach gevonden." if not routing.waits else "Er is nog steeds geen coach vrij."
                )
            else:
                flows.assign_manually(
                    ctx=ctx, db_session=db, gesprek=gesprek, coach_id=coach_id[:32], actor=actor
                )
                flash = "De aanvraag is aan de gekozen coach aangeboden."
    except flows.FlowError as exc:
        return _queue(request, ctx, error=exc.message, status_code=409)
    return _queue(request, ctx, flash=flash)


@pages.get("/console/loopbaangesprekken/{gesprek_id}", response_class=HTMLResponse)
def path_page(
    gesprek_id: str,
    request: Request,
    ctx: Ctx,
    account: Annotated[Medewerker, Depends(Allowed("loopbaangesprek.view"))],
) -> Response:
    """One request's whole path: every offer, who was chosen and why, and the answers."""
    with ctx.sessions() as db:
        gesprek = service.get(db_session=db, gesprek_id=gesprek_id)
        # A coach sees only requests that are theirs; to anyone else a foreign id looks like a missing one.
        if gesprek is None or not scope_coach(account, gesprek.coach_id):
            return _message(request, "Niet gevonden", "Deze aanvraag bestaat niet (meer).", 404)
        path = service.toewijzingen(db_session=db, gesprek_id=gesprek.id)
        names = {c.id: c.naam for c in coaches.all_coaches(db_session=db)}
        if account.rol == "coach":
            path = [o for o in path if o.coach_id == account.coach_id]
        return render(
            request,
            "loopbaangesprek/pad.html",
            gesprek=gesprek,
            path=path,
            names=names,
            tag_label=messaging.tag_label,
        )


# ----------------------------------------------------------------- figures


def _day(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{name} moet een datum zijn als 2026-01-31.") from None
    return datetime.combine(day, time(0), tzinfo=clock.now().tzinfo)


@router.get("/api/v1/loopbaangesprekken/cijfers", summary="Figures for the retention ambition (staff)")
def figures(
    ctx: Ctx,
    account: Annotated[Medewerker, Depends(Allowed("loopbaangesprek.figures"))],
    van: str | None = None,
    tot: str | None = None,
) -> JSONResponse:
    """Requests, outcomes (kept for education or not), feedback and promise-keeping over a period."""
    try:
        since, until = _day(van, "van"), _day(tot, "tot")
    except ValueError as exc:
        return JSONResponse({"detail": str(exc), "code": "invalid_input"}, status_code=422)
    with ctx.sessions() as db:
        return JSONResponse(
            service.figures(db_session=db, since=since, until=until), headers={"Cache-Control": "no-store"}
        )
