"""Schemathesis against the OpenAPI schema: no input the schema allows (or nearly allows) gives a 5xx,
and no response breaks its declared schema. Bounded examples per operation, so it runs in CI."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance


@pytest.fixture
def api_schema(app):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_responses_match_the_schema(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@pytest.fixture
def keyed_schema(app, frozen_clock):  # type: ignore[no-untyped-def]
    """The bestuur API's operations, called with a real key of a seeded bestuur (the deep paths run)."""
    from loket.bestuur import koppeling
    from loket.db import transaction
    from tests.invalpool.world import add_invaller, seed

    seed(app.state.ctx.sessions)
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "inv-1")
        _, key = koppeling.create_key(db_session=db, bestuur_id="bestuur-a", naam="schemathesis", actor="test")
    app.state.schemathesis_key = key
    # Explore deeply: the per-key limit (tested on its own) would answer 429 after the first 120 calls.
    app.state.ctx.settings = app.state.ctx.settings.model_copy(update={"rate_limit_api_key": "100000/minute"})
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(
        path_regex=r"^/api/v1/(vervangingsvragen|scholen)")


keyed = schemathesis.pytest.from_fixture("keyed_schema")


@keyed.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_bestuur_api_with_a_key_never_fails_on_our_side(case) -> None:  # type: ignore[no-untyped-def]
    key = case.operation.schema.app.state.schemathesis_key
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    case.validate_response(response, checks=[not_a_server_error])
