"""Login, logout, throttling, CSRF and the policy table."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loket.auth.policy import PERMISSIONS, allowed
from tests.accounts import csrf_from, login, make_account


def test_login_and_logout(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, email, password = make_account(app, "coordinator")
    csrf = login(client, email, password)
    assert client.get("/auth/csrf").json()["csrf_token"] == csrf
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303


def test_wrong_password_is_refused_in_dutch(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, email, _ = make_account(app, "medewerker")
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": "fout", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 401
    assert "horen niet bij elkaar" in response.text


def test_login_is_throttled_after_five_failures(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, email, password = make_account(app, "medewerker")
    for _ in range(5):
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"email": email, "password": "fout", "csrf_token": token})
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 429
    assert "kwartier" in response.text


def test_form_post_without_csrf_is_refused(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, email, password = make_account(app, "medewerker")
    client.get("/login")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 403


def test_disabled_account_cannot_log_in(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    from loket.db import transaction
    from loket.medewerker.models import Medewerker

    account_id, email, password = make_account(app, "medewerker")
    with transaction(app.state.ctx.sessions) as db:
        db.get(Medewerker, account_id).actief = False
    token = csrf_from(client.get("/login").text)
    assert client.post("/login", data={"email": email, "password": password, "csrf_token": token}).status_code == 401


def test_open_redirect_after_login_is_not_possible(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, email, password = make_account(app, "medewerker")
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token,
                                           "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/console"


def test_policy_table_refuses_unknown_actions_and_roles() -> None:
    assert not allowed("beheerder", "no.such.action")
    assert not allowed(None, "console.view")
    assert allowed("coach", "loopbaangesprek.respond") and not allowed("bestuur", "loopbaangesprek.respond")
    assert all(roles for roles in PERMISSIONS.values())
