"""Fixtures of the console tests: the demo region seeded once per test (it is small), staff logins."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.accounts import login, make_account


@pytest.fixture
def seeded(app, knowledge, frozen_clock):  # type: ignore[no-untyped-def]
    """The app with the demo region (besturen, schools, vacatures, intakes, proposals) in its database."""
    from loket.db import transaction
    from loket.demo import generate, seed

    with transaction(app.state.ctx.sessions) as db:
        seed(db, generate(knowledge.region, today=frozen_clock.now().date()))
    return app


class Staff:
    """A logged-in TestClient with the account's id and CSRF token."""

    def __init__(self, client: Any, account_id: str, csrf: str) -> None:
        self.client, self.id, self.csrf = client, account_id, csrf

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, follow_redirects=False, **kwargs)


@pytest.fixture
def as_role(seeded) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """as_role("coordinator") -> a logged-in client of a new account with that role."""
    from fastapi.testclient import TestClient

    clients = []

    def make(rol: str, **ids: str) -> Staff:
        if rol == "bestuur":
            ids.setdefault("bestuur_id", "bestuur-0001")
        if rol == "coach":
            ids.setdefault("coach_id", "coach-001")
        account_id, email, password = make_account(seeded, rol, **ids)
        client = TestClient(seeded, headers={"accept": "text/html"})
        clients.append(client)
        csrf = login(client, email, password)
        return Staff(client, account_id, csrf)

    yield make
    for c in clients:
        c.close()
