"""Accounts and logins for tests: make an account of a role and log a TestClient in with it."""

from __future__ import annotations

import re
import secrets

from fastapi.testclient import TestClient

from loket.db import transaction
from loket.medewerker import service


def make_account(app, rol: str, *, bestuur_id: str | None = None, coach_id: str | None = None,  # type: ignore[no-untyped-def]
                 email: str | None = None) -> tuple[str, str, str]:
    """Create an active account; return (id, email, password)."""
    password = secrets.token_urlsafe(12)
    email = email or f"{rol}-{secrets.token_hex(4)}@loket.example"
    with transaction(app.state.ctx.sessions) as db:
        account = service.create(db_session=db, email=email, naam=f"Test {rol}", rol=rol, password=password,
                                 bestuur_id=bestuur_id, coach_id=coach_id)
        return account.id, email, password


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def login(client: TestClient, email: str, password: str) -> str:
    """Log ``client`` in; return the new session's CSRF token for later form posts."""
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.get("/auth/csrf").json()["csrf_token"])
