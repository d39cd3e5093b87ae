"""Pages of loopbaangesprekken for people: the teacher's form, the coach's page (signed link or /coach),
the teacher's pages to pick a time and give feedback. Staff pages: ``views_console``; chat API: ``views_chat``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import clock
from loket.auth.deps import CsrfChecked
from loket.auth.links import LinkInvalid, verify
from loket.bestuur.models import Bestuur
from loket.coach import service as coaches
from loket.coach.models import EXPERTISE_TAGS, Coach
from loket.context import AppContext
from loket.db import transaction
from loket.loopbaangesprek import flows, messaging, service, views_chat, views_console
from loket.loopbaangesprek.models import UITKOMSTEN, Loopbaangesprek, LoopbaangesprekToewijzing
from loket.pages import render
from loket.regio.models import Plaats
from loket.text import clean
from matching.workdays import add_working_days

router = APIRouter(tags=["loopbaangesprek"])
pages = APIRouter(include_in_schema=False)
# The staff pages and the chat API live in their own modules; mounting them here keeps one entry point.
router.include_router(views_console.router)
router.include_router(views_chat.router)
pages.include_router(views_console.pages)
DUPLICATE_WINDOW_MINUTES = 10


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


Ctx = Annotated[AppContext, Depends(_ctx)]


def _message(request: Request, heading: str, message: str, status_code: int = 200) -> HTMLResponse:
    return render(request, "message.html", status_code=status_code, heading=heading, message=message)


def _bad_link(request: Request, exc: LinkInvalid) -> HTMLResponse:
    if exc.expired:
        return _message(
            request, "Link verlopen", "Deze link is verlopen. Neem contact op met het loket.", 410
        )
    return _message(request, "Link werkt niet", "Deze link klopt niet. Gebruik de link uit je e-mail.", 404)


def _subject(request: Request, purpose: str, token: str) -> str:
    """The subject of a signed link; LinkInvalid when forged, for another purpose, or too old."""
    if len(token) > 500:
        raise LinkInvalid(expired=False)
    return verify(
        _ctx(request).settings.secret(), purpose, token, max_age_seconds=flows.link_max_age(purpose)
    )


def _gesprek_from_link(
    request: Request, db: Session, purpose: str, token: str, *, for_update: bool = False
) -> Loopbaangesprek | HTMLResponse:
    """The request behind a teacher's signed link, or the page that says why the link does not work."""
    try:
        gesprek_id = _subject(request, purpose, token)
    except LinkInvalid as exc:
        return _bad_link(request, exc)
    gesprek = service.get(db_session=db, gesprek_id=gesprek_id)
    if gesprek is None:
        return _bad_link(request, LinkInvalid(expired=False))
    if for_update:
        db.refresh(gesprek, with_for_update=True)
    return gesprek


# ----------------------------------------------------------------- the teacher's form


def _form_options(db: Session) -> dict[str, Any]:
    return {
        "besturen": db.execute(select(Bestuur.id, Bestuur.naam).order_by(Bestuur.naam)).all(),
        "plaatsen": db.execute(
            select(Plaats.id, Plaats.naam).where(Plaats.in_regio.is_(True)).order_by(Plaats.naam)
        ).all(),
        "rollen": service.ROLLEN,
        "kanalen": service.CONTACT_KANALEN,
        "onderwerpen": [(t, messaging.tag_label(t)) for t in EXPERTISE_TAGS if t != "starters en inductie"],
    }


@pages.get("/loopbaangesprek", response_class=HTMLResponse)
def request_form(request: Request, ctx: Ctx) -> Response:
    """The form a teacher fills in to ask for a loopbaangesprek."""
    with ctx.sessions() as db:
        return render(request, "loopbaangesprek/aanvraag.html", values={}, errors={}, **_form_options(db))


@pages.post("/loopbaangesprek", response_class=HTMLResponse, dependencies=[CsrfChecked])
def submit_form(
    request: Request,
    ctx: Ctx,
    naam: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    telefoon: Annotated[str, Form()] = "",
    bestuur_id: Annotated[str, Form()] = "",
    huidige_rol: Annotated[str, Form()] = "",
    plaats_id: Annotated[str, Form()] = "",
    tags: Annotated[list[str] | None, Form()] = None,
    starter: Annotated[str, Form()] = "",
    wens: Annotated[str, Form()] = "",
    urgentie: Annotated[str, Form()] = "normaal",
    contact_kanaal: Annotated[str, Form()] = "email",
    tijden: Annotated[str, Form()] = "",
) -> Response:
    """Check and store the request; show the confirmation with the honest expected date."""
    raw = {
        "naam": naam,
        "email": email,
        "telefoon": telefoon,
        "bestuur_id": bestuur_id,
        "huidige_rol": huidige_rol,
        "plaats_id": plaats_id,
        "tags": (tags or [])[:20],
        "starter": starter,
        "wens": wens,
        "urgentie": urgentie,
        "contact_kanaal": contact_kanaal,
        "tijden": tijden,
        "kanaal": "web",
    }
    with transaction(ctx.sessions) as db:
        checked = service.check(db_session=db, raw=raw)
        if checked.aanvraag is None:
            values = {k: (v if isinstance(v, list) else str(v)[:2000]) for k, v in raw.items()}
            return render(
                request,
                "loopbaangesprek/aanvraag.html",
                status_code=422,
                values=values,
                errors=checked.errors,
                **_form_options(db),
            )
        gesprek = _recent_duplicate(db, checked.aanvraag)
        if gesprek is None:
            gesprek, _day = flows.submit(ctx=ctx, db_session=db, aanvraag=checked.aanvraag)
        return render(
            request,
            "loopbaangesprek/bevestiging.html",
            gesprek=gesprek,
            promise=messaging.promise_text(
                gesprek.beloofd_contact_op, "nl", ctx.settings.loopbaangesprek_sla_werkdagen
            ),
        )


def _recent_duplicate(db: Session, aanvraag: service.Aanvraag) -> Loopbaangesprek | None:
    """The same person's same request made minutes ago (a double click or a reload): show that one."""
    since = clock.now() - timedelta(minutes=DUPLICATE_WINDOW_MINUTES)
    return db.scalar(
        select(Loopbaangesprek)
        .where(
            Loopbaangesprek.email == aanvraag.email,
            Loopbaangesprek.bestuur_id == aanvraag.bestuur_id,
            Loopbaangesprek.wens == aanvraag.wens,
            Loopbaangesprek.created_at >= since,
        )
        .limit(1)
    )


# ----------------------------------------------------------------- the coach's page (link or account)


def coach_page(
    request: Request,
    db: Session,
    gesprek: Loopbaangesprek,
    offer: LoopbaangesprekToewijzing | None,
    action_base: str,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page a coach sees for one request; contact details only once they accepted it."""
    coach = coaches.get(db_session=db, coach_id=gesprek.coach_id or "")
    suggestions = _suggested_times(coach) if coach else []
    bestuur = db.get(Bestuur, gesprek.bestuur_id) if gesprek.bestuur_id else None
    from loket.starter.service import for_gesprek

    starter = for_gesprek(db_session=db, gesprek_id=gesprek.id) if gesprek.starter else None
    return render(
        request,
        "loopbaangesprek/coach_gesprek.html",
        starter_id=starter.id if starter else None,
        status_code=status_code,
        gesprek=gesprek,
        offer=offer,
        action_base=action_base,
        error=error,
        flash=flash,
        coach=coach,
        bestuur_naam=bestuur.naam if bestuur else "",
        rollen=service.ROLLEN,
        kanalen=service.CONTACT_KANALEN,
        tag_label=messaging.tag_label,
        when=messaging.when_text,
        uitkomsten=[(u, messaging.UITKOMST_LABELS[u]["nl"]) for u in UITKOMSTEN],
        suggestions=suggestions,
        accepted=gesprek.status not in ("wachtend", "toegewezen"),
        iso=datetime.fromisoformat,
    )


def _suggested_times(coach: Coach) -> list[str]:
    """Up to three start times in the coach's availability windows, from two working days ahead."""
    start = add_working_days(clock.now(), 2).astimezone(messaging.LOCAL).date()
    found: list[str] = []
    for offset in range(0, 21):
        day = date.fromordinal(start.toordinal() + offset)
        for span in (coach.beschikbaarheid or {}).get(coaches.DAGEN[day.weekday()], []):
            begin = time.fromisoformat(span.split("-")[0])
            found.append(datetime.combine(day, begin).strftime("%Y-%m-%dT%H:%M"))
            if len(found) == 3:
                return found
    return found


def coach_action(
    request: Request,
    ctx: AppContext,
    db: Session,
    gesprek: Loopbaangesprek,
    offer: LoopbaangesprekToewijzing | None,
    action_base: str,
    action: str,
    form: dict[str, Any],
    actor: str,
) -> HTMLResponse:
    """Carry out a coach's action (accept, decline, propose times, close) and show the page again."""
    try:
        if action in ("accepteer", "wijs_af"):
            if offer is None:
                raise flows.FlowError("Deze aanvraag wacht niet op jouw antwoord.")
            flows.respond(
                ctx=ctx,
                db_session=db,
                toewijzing_id=offer.id,
                accept=action == "accepteer",
                reden=str(form.get("reden", ""))[:2000],
                actor=actor,
            )
            db.refresh(offer)
            flash = (
                "Je hebt de aanvraag geaccepteerd. Stel nu tijden voor."
                if action == "accepteer"
                else "Je hebt de aanvraag afgewezen. We zoeken een andere coach."
            )
        elif action == "tijden":
            times = flows.parse_local_times(
                [str(t) for t in form.get("tijden", [])][: flows.MAX_PROPOSALS + 5]
            )
            flows.propose_times(ctx=ctx, db_session=db, gesprek=gesprek, times=times, actor=actor)
            flash = "De tijden zijn naar de leraar gestuurd."
        elif action == "afronden":
            flows.close(
                db_session=db, gesprek=gesprek, uitkomst=str(form.get("uitkomst", "")) or None, actor=actor
            )
            flash = "Het gesprek is afgerond. Dank je wel."
        else:
            raise flows.FlowError("Onbekende actie.")
    except flows.FlowError as exc:
        db.rollback()
        db.refresh(gesprek)
        return coach_page(request, db, gesprek, offer, action_base, error=exc.message, status_code=409)
    if offer is not None and offer.status != "geaccepteerd" and gesprek.coach_id != offer.coach_id:
        return _message(request, "Aanvraag afgewezen", flash)
    return coach_page(request, db, gesprek, offer, action_base, flash=flash)


def _offer_from_link(
    request: Request, db: Session, token: str
) -> tuple[Loopbaangesprek, LoopbaangesprekToewijzing]:
    offer_id = _subject(request, flows.LINK_COACH, token)
    offer = service.get_toewijzing(db_session=db, toewijzing_id=offer_id)
    gesprek = service.get(db_session=db, gesprek_id=offer.loopbaangesprek_id) if offer else None
    if offer is None or gesprek is None:
        raise LinkInvalid(expired=False)
    return gesprek, offer


def _link_is_current(gesprek: Loopbaangesprek, offer: LoopbaangesprekToewijzing) -> bool:
    # A link of an offer that was declined, expired or moved shows nothing of the request any more.
    return offer.status in ("aangeboden", "geaccepteerd") and gesprek.coach_id == offer.coach_id


@pages.get("/loopbaangesprek/coach/{token}", response_class=HTMLResponse)
def coach_link_page(token: str, request: Request, ctx: Ctx) -> Response:
    """The coach's page for one offer, reached by the signed link in the e-mail."""
    with ctx.sessions() as db:
        try:
            gesprek, offer = _offer_from_link(request, db, token)
        except LinkInvalid as exc:
            return _bad_link(request, exc)
        if not _link_is_current(gesprek, offer):
            return _message(
                request, "Niet meer voor jou", "Deze aanvraag is niet meer aan jou toegewezen.", 410
            )
        return coach_page(request, db, gesprek, offer, f"/loopbaangesprek/coach/{token}")


@pages.post(
    "/loopbaangesprek/coach/{token}/{action}", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
async def coach_link_action(token: str, action: str, request: Request) -> Response:
    """Accept, decline, propose times or close, through the signed link."""
    ctx = _ctx(request)
    form = await read_form(request)
    with transaction(ctx.sessions) as db:
        try:
            gesprek, offer = _offer_from_link(request, db, token)
        except LinkInvalid as exc:
            return _bad_link(request, exc)
        if not _link_is_current(gesprek, offer):
            return _message(
                request, "Niet meer voor jou", "Deze aanvraag is niet meer aan jou toegewezen.", 410
            )
        return coach_action(
            request,
            ctx,
            db,
            gesprek,
            offer,
            f"/loopbaangesprek/coach/{token}",
            action,
            form,
            actor=f"coach:{offer.coach_id}",
        )


async def read_form(request: Request) -> dict[str, Any]:
    """The posted form with list fields (``tijden``) as lists."""
    form = await request.form()
    data: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    data["tijden"] = [v for v in form.getlist("tijden") if isinstance(v, str)]
    return data


# ----------------------------------------------------------------- the teacher's links: pick a time, feedback


@pages.get("/loopbaangesprek/keuze/{token}", response_class=HTMLResponse)
def choose_page(token: str, request: Request, ctx: Ctx) -> Response:
    """The teacher picks one of the proposed times."""
    with ctx.sessions() as db:
        gesprek = _gesprek_from_link(request, db, flows.LINK_KEUZE, token)
        if isinstance(gesprek, Response):
            return gesprek
        return _choose(request, db, gesprek, token)


def _choose(
    request: Request,
    db: Session,
    gesprek: Loopbaangesprek,
    token: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    coach = coaches.get(db_session=db, coach_id=gesprek.coach_id or "")
    times = [
        (t, messaging.when_text(datetime.fromisoformat(t), gesprek.taal)) for t in gesprek.voorgestelde_tijden
    ]
    return render(
        request,
        "loopbaangesprek/keuze.html",
        status_code=status_code,
        gesprek=gesprek,
        times=times,
        coach_naam=coach.naam if coach else "",
        token=token,
        error=error,
        afspraak=messaging.when_text(gesprek.afspraak_at, gesprek.taal) if gesprek.afspraak_at else None,
    )


@pages.post("/loopbaangesprek/keuze/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def choose(token: str, request: Request, ctx: Ctx, tijd: Annotated[str, Form()] = "") -> Response:
    """Store the chosen time; the invites go out by e-mail."""
    with transaction(ctx.sessions) as db:
        gesprek = _gesprek_from_link(request, db, flows.LINK_KEUZE, token, for_update=True)
        if isinstance(gesprek, Response):
            return gesprek
        try:
            flows.pick_time(ctx=ctx, db_session=db, gesprek=gesprek, when=tijd[:64])
        except flows.FlowError as exc:
            return _choose(request, db, gesprek, token, error=exc.message, status_code=409)
        return _choose(request, db, gesprek, token)


@pages.get("/loopbaangesprek/feedback/{token}", response_class=HTMLResponse)
def feedback_page(token: str, request: Request, ctx: Ctx) -> Response:
    """Two short questions after the conversation."""
    with ctx.sessions() as db:
        gesprek = _gesprek_from_link(request, db, flows.LINK_FEEDBACK, token)
        if isinstance(gesprek, Response):
            return gesprek
        return _feedback(request, gesprek, token)


def _feedback(
    request: Request,
    gesprek: Loopbaangesprek,
    token: str,
    *,
    error: str | None = None,
    done: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "loopbaangesprek/feedback.html",
        status_code=status_code,
        gesprek=gesprek,
        token=token,
        error=error,
        done=done or gesprek.feedback_at is not None,
        uitkomsten=[(u, messaging.UITKOMST_LABELS[u]["nl"]) for u in UITKOMSTEN],
    )


@pages.post("/loopbaangesprek/feedback/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def feedback(
    token: str,
    request: Request,
    ctx: Ctx,
    score: Annotated[str, Form()] = "",
    tekst: Annotated[str, Form()] = "",
    uitkomst: Annotated[str, Form()] = "",
) -> Response:
    """Store the teacher's feedback."""
    with transaction(ctx.sessions) as db:
        gesprek = _gesprek_from_link(request, db, flows.LINK_FEEDBACK, token, for_update=True)
        if isinstance(gesprek, Response):
            return gesprek
        try:
            value = int(score) if score.strip().isdigit() else 0
            flows.give_feedback(
                db_session=db,
                gesprek=gesprek,
                score=value,
                tekst=clean(tekst[:4000]),
                uitkomst=uitkomst[:32] or None,
            )
        except flows.FlowError as exc:
            return _feedback(request, gesprek, token, error=exc.message, status_code=422)
        return _feedback(request, gesprek, token, done=True)
