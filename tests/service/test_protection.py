"""Abuse resistance of the public endpoints: rate limits, honeypot, security headers, CORS."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def strict_client(settings, knowledge, clean_db):  # type: ignore[no-untyped-def]
    from loket.app import create_app

    strict = settings.model_copy(update={
        "rate_limit_session": "5/minute", "rate_limit_start": "3/minute", "rate_limit_resume": "2/minute",
        "allowed_origins": ["https://www.onderwijsregio.example"],
    })
    with TestClient(create_app(strict, knowledge=knowledge)) as client:
        yield client


def _start(client: TestClient) -> tuple[str, dict[str, str]]:
    body = client.post("/api/v1/intake", json={}).json()
    return body["session_id"], {"Authorization": f"Bearer {body['token']}"}


def test_too_many_messages_in_a_session_get_a_friendly_429(strict_client: TestClient) -> None:
    session_id, auth = _start(strict_client)
    codes = [strict_client.post(f"/api/v1/intake/{session_id}/messages", json={"text": "ja"}, headers=auth).status_code
             for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    response = strict_client.post(f"/api/v1/intake/{session_id}/messages", json={"text": "ja"}, headers=auth)
    assert "Wacht even" in response.json()["detail"]
    assert int(response.headers["retry-after"]) >= 1


def test_starting_many_intakes_from_one_address_is_limited(strict_client: TestClient) -> None:
    codes = [strict_client.post("/api/v1/intake", json={}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]


def test_guessing_resume_codes_is_limited(strict_client: TestClient) -> None:
    codes = [strict_client.post("/api/v1/intake/resume", json={"code": f"AAAA-AAA{i}"}).status_code for i in range(3)]
    assert codes == [404, 404, 429]


def test_honeypot_field_filled_in_is_refused_and_not_applied(strict_client: TestClient) -> None:
    session_id, auth = _start(strict_client)
    response = strict_client.post(f"/api/v1/intake/{session_id}/messages",
                                  json={"text": "ja", "website": "http://spam.example"}, headers=auth)
    assert response.status_code == 400
    turn = strict_client.get(f"/api/v1/intake/{session_id}/turn", headers=auth).json()
    assert turn["expecting"]["slot"] == "consent"


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/login", "/healthz"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "strict-origin" in response.headers["referrer-policy"]
    login = client.get("/login")
    assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
    assert "unsafe-inline" not in login.headers["content-security-policy"]


def test_cors_only_for_configured_sites(strict_client: TestClient) -> None:
    allowed = strict_client.options("/api/v1/intake", headers={
        "Origin": "https://www.onderwijsregio.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert allowed.headers.get("access-control-allow-origin") == "https://www.onderwijsregio.example"
    refused = strict_client.options("/api/v1/intake", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in refused.headers
    assert refused.status_code == 400


def test_wrong_rate_setting_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from loket.settings import SettingsError, load_settings

    monkeypatch.setenv("LOKET_RATE_LIMIT_SESSION", "lots")
    with pytest.raises(SettingsError, match="LOKET_RATE_LIMIT_SESSION"):
        load_settings()
