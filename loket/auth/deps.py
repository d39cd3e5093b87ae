"""FastAPI dependencies for accounts: who is logged in, may they do this, is the form genuine.

Every route that needs an account uses ``Allowed("action")`` with an action from ``policy.PERMISSIONS``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select

from loket.auth.policy import allowed
from loket.medewerker.models import Medewerker

SESSION_ACCOUNT = "account_id"
SESSION_CSRF = "csrf"
API_TOKEN_PREFIX = "loket_"
BESTUUR_KEY_PREFIX = "lkb_"  # a bestuur's API key (loket.bestuur.koppeling)


class LoginRequired(Exception):
    """No (valid) account; pages redirect to the login page, the API answers 401."""


class Forbidden(Exception):
    """Logged in, but this role may not do this (or not to this object)."""


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def _account_from_bearer(request: Request) -> Any:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = header.split(" ", 1)[1].strip()
    if token.startswith(BESTUUR_KEY_PREFIX):
        return _bestuur_key(request, token)
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    with request.app.state.ctx.sessions() as db:
        return db.scalar(select(Medewerker).where(Medewerker.api_token_hash == hash_api_token(token)))


def _bestuur_key(request: Request, token: str) -> Any:
    """A bestuur's API key: its caller, counted against the key's rate limit, every call in the audit log."""
    from loket.audit.service import record
    from loket.bestuur.koppeling import principal_for
    from loket.db import transaction
    from loket.ratelimit import limiter_of

    ctx = request.app.state.ctx
    with transaction(ctx.sessions) as db:
        principal = principal_for(db, token)
        if principal is None:
            return None
        record(db_session=db, actor=principal.actor, action="api.call", object_type="bestuur",
               object_id=principal.bestuur_id, detail={"method": request.method, "path": request.url.path[:200]})
    limiter_of(ctx).hit(ctx.settings.rate_limit_api_key, "api-key", principal.sleutel_id)
    return principal


def optional_account(request: Request) -> Medewerker | None:
    """The logged-in, active account, or None."""
    account: Medewerker | None = None
    account_id = request.session.get(SESSION_ACCOUNT) if "session" in request.scope else None
    if account_id:
        with request.app.state.ctx.sessions() as db:
            account = db.get(Medewerker, account_id)
    else:
        account = _account_from_bearer(request)
    if account is None or not account.actief:
        return None
    request.state.account = account
    return account


def current_account(request: Request) -> Medewerker:
    """The logged-in account; LoginRequired otherwise."""
    account = optional_account(request)
    if account is None:
        raise LoginRequired()
    return account


CurrentAccount = Annotated[Medewerker, Depends(current_account)]


class Allowed:
    """Dependency: the current account, when its role may do ``action`` (Forbidden otherwise)."""

    def __init__(self, action: str) -> None:
        self.action = action

    def __call__(self, request: Request) -> Medewerker:
        account = current_account(request)
        if not allowed(account.rol, self.action):
            raise Forbidden()
        return account


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); forms carry it in a hidden field."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request whose CSRF token does not match the session's.

    Requests with a personal API token (Bearer) carry no cookie, so CSRF cannot reach them: no check.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    expected = request.session.get(SESSION_CSRF) if "session" in request.scope else None
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise Forbidden()


CsrfChecked = Depends(verify_csrf)
