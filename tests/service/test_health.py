"""Health endpoints and the OpenAPI page."""

from __future__ import annotations


def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_reports_database_and_knowledge(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["knowledge"]["routes"] >= 22


def test_readyz_is_503_when_the_database_is_gone(app, client) -> None:  # type: ignore[no-untyped-def]
    from loket.db import make_engine

    ctx = app.state.ctx
    good = ctx.engine
    ctx.engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        response = client.get("/readyz")
    finally:
        ctx.engine.dispose()
        ctx.engine = good
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")


def test_openapi_docs(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/docs").status_code == 200
    assert "/healthz" in client.get("/openapi.json").json()["paths"]


def test_unknown_path_is_a_clear_json_404_in_dutch_or_english(client) -> None:  # type: ignore[no-untyped-def]
    nl = client.get("/nergens")
    assert nl.status_code == 404 and "niet gevonden" in nl.json()["detail"]
    en = client.get("/nowhere", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "could not find" in en.json()["detail"]
