"""Account management by the beheerder (invite, disable, enable) and the set-password page of an invite.

An invite creates the account without a password and e-mails a signed link (purpose "invite") through
the outbox. The link works once: after a password is set, the same link is refused. Disabling an account
ends its sessions at once, because every request checks that the account is still active.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from loket.audit.service import record
from loket.auth import links
from loket.auth.deps import Allowed, CsrfChecked
from loket.bestuur.models import Bestuur
from loket.coach.models import Coach
from loket.console import messaging
from loket.console.web import ctx_of, flash, ip_of, not_found, page, redirect
from loket.db import transaction
from loket.medewerker import service
from loket.medewerker.models import ROLLEN, Medewerker
from loket.outbox.service import queue as queue_message
from loket.text import clean

router = APIRouter(tags=["accounts"], include_in_schema=False)

INVITE_PURPOSE = "invite"
INVITE_DAYS = 7
MIN_PASSWORD = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROL_LABELS = {
    "medewerker": "Medewerker",
    "coordinator": "Coördinator",
    "beheerder": "Beheerder",
    "bestuur": "Schoolbestuur",
    "coach": "Coach",
}


def _accounts_page(
    request: Request, error: str | None = None, form: dict[str, str] | None = None
) -> Response:
    with transaction(ctx_of(request).sessions) as db:
        accounts = db.scalars(select(Medewerker).order_by(Medewerker.actief.desc(), Medewerker.naam)).all()
    return page(
        request,
        "console/accounts.html",
        status_code=422 if error else 200,
        accounts=accounts,
        error=error,
        form=form or {},
        rollen=ROLLEN,
        rol_labels=ROL_LABELS,
    )


@router.get("/console/accounts", response_class=HTMLResponse)
def accounts(request: Request, _: Annotated[Medewerker, Depends(Allowed("account.manage"))]) -> Response:
    return _accounts_page(request)


@router.post("/console/accounts", response_class=HTMLResponse, dependencies=[CsrfChecked])
def invite(
    request: Request,
    account: Annotated[Medewerker, Depends(Allowed("account.manage"))],
    email: Annotated[str, Form(max_length=320)],
    naam: Annotated[str, Form(max_length=200)],
    rol: Annotated[str, Form(max_length=16)],
    bestuur_id: Annotated[str, Form(max_length=64)] = "",
    coach_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    ctx = ctx_of(request)
    form = {"email": email, "naam": naam, "rol": rol, "bestuur_id": bestuur_id, "coach_id": coach_id}
    email, naam = clean(email).lower(), clean(naam)
    if not _EMAIL.match(email):
        return _accounts_page(request, "Het e-mailadres klopt niet. Voorbeeld: naam@school.nl", form)
    if not naam:
        return _accounts_page(request, "Vul de naam in.", form)
    if rol not in ROLLEN:
        return _accounts_page(request, "Kies een rol uit de lijst.", form)
    with transaction(ctx.sessions) as db:
        if service.get_by_email(db_session=db, email=email) is not None:
            return _accounts_page(request, "Er is al een account met dit e-mailadres.", form)
        if rol == "bestuur" and db.get(Bestuur, bestuur_id.strip()) is None:
            return _accounts_page(
                request,
                "Een bestuursaccount hoort bij een bestuur: vul een bestaand "
                "bestuur-id in (bijvoorbeeld bestuur-0001).",
                form,
            )
        if rol == "coach" and db.get(Coach, coach_id.strip()) is None:
            return _accounts_page(
                request, "Een coachaccount hoort bij een coach: vul een bestaand coach-id in.", form
            )
        new = service.create(
            db_session=db,
            email=email,
            naam=naam,
            rol=rol,
            password=None,
            bestuur_id=bestuur_id.strip() if rol == "bestuur" else None,
            coach_id=coach_id.strip() if rol == "coach" else None,
        )
        token = links.sign(ctx.settings.secret(), INVITE_PURPOSE, new.id)
        link = f"{ctx.settings.base_url}/account/wachtwoord?token={token}"
        subject, body = messaging.invite_email(naam=naam, rol=ROL_LABELS[rol], link=link, days=INVITE_DAYS)
        queue_message(
            db_session=db,
            channel="email",
            recipient=email,
            subject=subject,
            body=body,
            payload={"kind": "invite", "medewerker_id": new.id},
        )
        record(
            db_session=db,
            actor=f"medewerker:{account.id}",
            action="account.invite",
            object_type="medewerker",
            object_id=new.id,
            detail={"rol": rol},
            ip=ip_of(request),
        )
    flash(request, f"{naam} is uitgenodigd. De uitnodiging gaat per e-mail.")
    return redirect("/console/accounts")


def _set_active(request: Request, account: Medewerker, account_id: str, active: bool) -> Response:
    if account_id == account.id and not active:
        flash(request, "Je kunt je eigen account niet uitschakelen.")
        return redirect("/console/accounts")
    with transaction(ctx_of(request).sessions) as db:
        target = db.get(Medewerker, account_id[:64])
        if target is None:
            return not_found(request, "Dit account")
        target.actief = active
        record(
            db_session=db,
            actor=f"medewerker:{account.id}",
            action="account.enable" if active else "account.disable",
            object_type="medewerker",
            object_id=target.id,
            ip=ip_of(request),
        )
        naam = target.naam
    flash(
        request, f"{naam} kan weer inloggen." if active else f"{naam} is uitgeschakeld en meteen uitgelogd."
    )
    return redirect("/console/accounts")


@router.post("/console/accounts/{account_id}/uitschakelen", dependencies=[CsrfChecked])
def disable(
    request: Request, account_id: str, account: Annotated[Medewerker, Depends(Allowed("account.manage"))]
) -> Response:
    return _set_active(request, account, account_id, False)


@router.post("/console/accounts/{account_id}/inschakelen", dependencies=[CsrfChecked])
def enable(
    request: Request, account_id: str, account: Annotated[Medewerker, Depends(Allowed("account.manage"))]
) -> Response:
    return _set_active(request, account, account_id, True)


def _invited(request: Request, token: str) -> tuple[Medewerker | None, str | None]:
    """The invited account of a link, or a reason why the link does not work."""
    ctx = ctx_of(request)
    try:
        account_id = links.verify(
            ctx.settings.secret(), INVITE_PURPOSE, token[:500], max_age_seconds=INVITE_DAYS * 86400
        )
    except links.LinkInvalid as exc:
        return None, (
            "Deze uitnodiging is verlopen. Vraag de beheerder om een nieuwe."
            if exc.expired
            else "Deze link klopt niet. Gebruik de link uit je e-mail."
        )
    with ctx.sessions() as db:
        target = db.get(Medewerker, account_id)
    if target is None or not target.actief:
        return None, "Dit account bestaat niet meer of is uitgeschakeld."
    if target.password_hash:
        return None, "Je hebt al een wachtwoord gekozen. Log in met je e-mailadres."
    return target, None


def _bad_invite(request: Request, problem: str | None) -> Response:
    return page(request, "message.html", status_code=400, heading="Link werkt niet", message=problem,
                link="/login", link_text="Naar inloggen")


@router.get("/account/wachtwoord", response_class=HTMLResponse)
def set_password_page(request: Request, token: str = "") -> Response:
    target, problem = _invited(request, token)
    if target is None:
        return _bad_invite(request, problem)
    return page(request, "console/set_password.html", token=token, naam=target.naam, min_length=MIN_PASSWORD)


@router.post("/account/wachtwoord", response_class=HTMLResponse, dependencies=[CsrfChecked])
def set_password(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    wachtwoord: Annotated[str, Form(max_length=1000)],
    herhaal: Annotated[str, Form(max_length=1000)],
) -> Response:
    target, problem = _invited(request, token)
    if target is None:
        return _bad_invite(request, problem)
    error = None
    if len(wachtwoord) < MIN_PASSWORD:
        error = f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens."
    elif wachtwoord != herhaal:
        error = "De twee wachtwoorden zijn niet gelijk."
    if error:
        return page(
            request,
            "console/set_password.html",
            status_code=422,
            token=token,
            naam=target.naam,
            min_length=MIN_PASSWORD,
            error=error,
        )
    with transaction(ctx_of(request).sessions) as db:
        account = db.get(Medewerker, target.id)
        if account is None or account.password_hash:  # set in another tab meanwhile: the link is used up
            return page(
                request,
                "message.html",
                status_code=400,
                heading="Link werkt niet",
                message="Je hebt al een wachtwoord gekozen. Log in met je e-mailadres.",
                link="/login",
            )
        account.password_hash = service.hash_password(wachtwoord)
        record(
            db_session=db,
            actor=f"medewerker:{account.id}",
            action="account.password_set",
            object_type="medewerker",
            object_id=account.id,
            ip=ip_of(request),
        )
    return page(
        request,
        "message.html",
        heading="Wachtwoord opgeslagen",
        message="Je wachtwoord is opgeslagen. Je kunt nu inloggen.",
        link="/login",
        link_text="Inloggen",
    )
