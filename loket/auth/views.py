"""Login and logout pages for accounts (staff, besturen, coaches), with throttling of guesses."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from loket import clock
from loket.audit.service import record
from loket.auth.deps import SESSION_ACCOUNT, CsrfChecked, csrf_token, optional_account
from loket.db import transaction
from loket.medewerker import service
from loket.medewerker.models import LoginPoging
from loket.pages import render

router = APIRouter(tags=["accounts"], include_in_schema=False)

# Five wrong passwords for one address within a quarter of an hour: wait before trying again.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
HOME_BY_ROLE = {"bestuur": "/bestuur", "coach": "/coach"}


def _safe_next(target: str | None, role: str) -> str:
    default = HOME_BY_ROLE.get(role, "/console")
    if not target:
        return default
    parsed = urlparse(target)
    # Only paths on this site: never redirect to another host after login.
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "") -> Response:
    if optional_account(request) is not None:
        return RedirectResponse(_safe_next(next, request.state.account.rol), status_code=303)
    return render(request, "login.html", next=next)


@router.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ctx = request.app.state.ctx
    email = email.strip().lower()
    ip = request.client.host if request.client else None
    with transaction(ctx.sessions) as db:
        since = clock.now() - FAILURE_WINDOW
        failures = db.scalar(select(func.count()).select_from(LoginPoging).where(
            LoginPoging.email == email, LoginPoging.gelukt.is_(False), LoginPoging.at >= since)) or 0
        if failures >= MAX_FAILURES:
            return render(request, "login.html", status_code=429, next=next, email=email,
                          error="Te vaak een verkeerd wachtwoord. Wacht een kwartier en probeer het opnieuw.")
        account = service.get_by_email(db_session=db, email=email)
        ok = account is not None and account.actief and service.verify_password(account.password_hash, password)
        db.add(LoginPoging(email=email, ip=ip, gelukt=ok))
        if not ok:
            return render(request, "login.html", status_code=401, next=next, email=email,
                          error="Dit e-mailadres en wachtwoord horen niet bij elkaar.")
        assert account is not None
        account.last_login_at = clock.now()
        record(db_session=db, actor=f"medewerker:{account.id}", action="login", object_type="medewerker",
               object_id=account.id, ip=ip)
        role = account.rol
        account_id = account.id
    # A new session on login: nothing of an earlier (anonymous) session is carried over.
    request.session.clear()
    request.session[SESSION_ACCOUNT] = account_id
    return RedirectResponse(_safe_next(next, role), status_code=303)


@router.get("/auth/csrf")
def csrf(request: Request) -> dict[str, str]:
    """The session's CSRF token, for pages that post with JavaScript (header X-CSRF-Token)."""
    return {"csrf_token": csrf_token(request)}


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
