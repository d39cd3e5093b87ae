"""Permission matrix: every role (and anonymous) × every console page and action, allowed and refused.

The expected answer comes from ``loket.auth.policy.PERMISSIONS``: a role in the action's set must get
past the authorisation layer (a page, a redirect after a post, or a validation answer for the harmless
input sent here); any other role gets 403, and an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from loket.auth.policy import PERMISSIONS
from loket.intake.models import ContactVerzoek
from loket.match.models import Match

ROLES = ["medewerker", "coordinator", "beheerder", "bestuur", "coach"]


def _routes(ids: dict[str, str]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, url, action, form) for every console route; forms are harmless (invalid or idempotent)."""
    m, k, c = ids["match"], ids["kandidaat"], ids["contact"]
    return [
        ("GET", "/console", "dashboard.view", {}),
        ("GET", "/console/cijfers/funnel.csv", "dashboard.view", {}),
        ("GET", "/console/beoordelen", "match.review", {}),
        ("GET", f"/console/beoordelen/{m}", "match.review", {}),
        ("POST", f"/console/beoordelen/{m}", "match.review", {"besluit": "onzin"}),
        ("GET", "/console/beoordelen/export.xlsx", "match.export", {}),
        ("GET", "/console/beoordelen/export.csv", "match.export", {}),
        ("GET", "/console/beoordelen/beoordelingen.csv", "match.export", {}),
        ("GET", "/console/kandidaten", "kandidaat.view", {}),
        ("GET", f"/console/kandidaten/{k}", "kandidaat.view", {}),
        ("POST", f"/console/kandidaten/{k}", "kandidaat.edit", {"fase": "onzin"}),
        ("GET", "/console/contact", "handoff.view", {}),
        ("GET", f"/console/contact/{c}", "handoff.view", {}),
        ("POST", f"/console/contact/{c}/antwoord", "handoff.reply", {"tekst": ""}),
        ("POST", "/console/contact/bestaat-niet/afronden", "handoff.reply", {}),
        ("GET", "/console/audit", "audit.view", {}),
        ("GET", "/console/accounts", "account.manage", {}),
        ("POST", "/console/accounts", "account.manage", {"email": "geen-adres", "naam": "X", "rol": "medewerker"}),
        ("POST", "/console/accounts/bestaat-niet/uitschakelen", "account.manage", {}),
        ("POST", "/console/accounts/bestaat-niet/inschakelen", "account.manage", {}),
        ("GET", "/console/vacatures", "console.view", {}),
        ("GET", "/console/vacatures/nieuw", "vacature.edit", {}),
        ("POST", "/console/vacatures/nieuw", "vacature.edit", {"titel": ""}),
        ("GET", "/console/vacatures/vac-00001", "vacature.edit", {}),
        ("POST", "/console/vacatures/vac-00001", "vacature.edit", {"titel": ""}),
        ("GET", "/console/vacatures/import", "vacature.import", {}),
        ("GET", "/console/vacatures/voorbeeld.csv", "vacature.import", {}),
        ("GET", "/console/invallers", "console.view", {}),
        ("GET", "/console/invallers/nieuw", "invaller.edit", {}),
        ("POST", "/console/invallers/nieuw", "invaller.edit", {"naam": ""}),
        ("GET", "/console/invallers/inv-00001", "invaller.edit", {}),
        ("POST", "/console/invallers/inv-00001", "invaller.edit", {"naam": ""}),
        ("GET", "/console/invallers/import", "invaller.edit", {}),
        ("GET", "/console/invallers/voorbeeld.csv", "invaller.edit", {}),
    ]


def _ids(app: Any) -> dict[str, str]:
    with app.state.ctx.sessions() as db:
        match = db.scalars(select(Match).where(Match.status == "voorgesteld").order_by(Match.id)).first()
        contact = db.scalars(select(ContactVerzoek).order_by(ContactVerzoek.id)).first()
    return {"match": match.id, "kandidaat": match.kandidaat_id, "contact": contact.id}


@pytest.mark.parametrize("rol", ROLES)
def test_each_role_gets_exactly_its_permissions(as_role, seeded, rol: str) -> None:  # type: ignore[no-untyped-def]
    staff = as_role(rol)
    wrong = []
    for method, url, action, form in _routes(_ids(seeded)):
        response = staff.client.get(url, follow_redirects=False) if method == "GET" else staff.post(url, form)
        may = rol in PERMISSIONS[action]
        if may:
            ok = response.status_code in (200, 303, 404, 422) and not (
                response.status_code == 303 and response.headers["location"].startswith("/login")
            )
        else:
            ok = response.status_code == 403 and "Geen toegang" in response.text
        if not ok:
            wrong.append((method, url, action, response.status_code))
    assert wrong == [], f"{rol}: {wrong}"


def test_uploads_follow_the_matrix(as_role) -> None:  # type: ignore[no-untyped-def]
    for rol in ROLES:
        staff = as_role(rol)
        for kind, action in (("vacatures", "vacature.import"), ("invallers", "invaller.edit")):
            response = staff.post(f"/console/{kind}/import", files={"bestand": ("leeg.csv", b"", "text/csv")})
            expected = {422} if rol in PERMISSIONS[action] else {403}
            assert response.status_code in expected, (rol, kind, response.status_code)


def test_anonymous_visitors_are_sent_to_login(seeded) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(seeded, headers={"accept": "text/html"}) as anonymous:
        for method, url, _action, form in _routes(_ids(seeded)):
            if method == "GET":
                response = anonymous.get(url, follow_redirects=False)
                assert response.status_code == 303 and response.headers["location"].startswith("/login"), url
            else:
                response = anonymous.post(url, data=form, follow_redirects=False)
                assert response.status_code in (303, 401, 403), url
                assert response.status_code != 303 or response.headers["location"].startswith("/login")
        # The JSON API answer for scripts without a browser: 401, never data.
        assert anonymous.get("/console/beoordelen/export.csv", headers={"accept": "*/*"}).status_code == 401


def test_a_form_without_the_csrf_token_is_refused(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("beheerder")
    ids = _ids(seeded)
    response = staff.client.post(
        f"/console/beoordelen/{ids['match']}", data={"besluit": "goedkeuren"}, follow_redirects=False
    )
    assert response.status_code == 403
    with seeded.state.ctx.sessions() as db:
        assert db.get(Match, ids["match"]).status == "voorgesteld"
