"""A small region for loopbaangesprek tests: three besturen, places in two subregio's, coaches as asked."""

from __future__ import annotations

from typing import Any

import pytest

from loket.db import transaction


@pytest.fixture
def region(app):  # type: ignore[no-untyped-def]
    """Regio, two subregio's with a place each, and three besturen."""
    from loket.bestuur.models import Bestuur
    from loket.regio.models import Plaats, Regio, Subregio

    with transaction(app.state.ctx.sessions) as db:
        db.add(Regio(id="midden-nederland", naam="Midden-Nederland"))
        db.flush()
        db.add_all([Subregio(id="utrecht-stad", regio_id="midden-nederland", naam="Utrecht stad"),
                    Subregio(id="amersfoort-eemland", regio_id="midden-nederland", naam="Amersfoort en Eemland")])
        db.flush()
        db.add_all([Plaats(id="utrecht", naam="Utrecht", subregio_id="utrecht-stad", lat=52.09, lon=5.12),
                    Plaats(id="amersfoort", naam="Amersfoort", subregio_id="amersfoort-eemland", lat=52.156,
                           lon=5.387)])
        for n in (1, 2, 3):
            db.add(Bestuur(id=f"bestuur-{n}", naam=f"Stichting Test {n}", regio_id="midden-nederland"))
    return app


def add_coach(app, coach_id: str, bestuur_id: str, **fields: Any) -> str:  # type: ignore[no-untyped-def]
    """Add a coach (defaults: leiderschap, Utrecht stad, capacity 2, e-mail at example.org)."""
    from loket.coach.models import Coach

    values: dict[str, Any] = {"naam": f"Coach {coach_id}", "email": f"{coach_id}@example.org",
                              "expertise": ["leiderschap"], "subregio_id": "utrecht-stad", "capaciteit_per_week": 2,
                              "beschikbaarheid": {"ma": ["09:00-12:00"], "wo": ["13:00-17:00"]}}
    values.update(fields)
    with transaction(app.state.ctx.sessions) as db:
        db.add(Coach(id=coach_id, bestuur_id=bestuur_id, **values))
    return coach_id


def request_form(**overrides: Any) -> dict[str, Any]:
    """A valid form post of a teacher of bestuur-1."""
    form: dict[str, Any] = {"naam": "Sanne de Vries", "email": "sanne@example.org", "telefoon": "",
                            "bestuur_id": "bestuur-1", "huidige_rol": "leerkracht", "plaats_id": "utrecht",
                            "tags": ["leiderschap"], "wens": "Ik wil graag teamleider worden.",
                            "urgentie": "normaal", "contact_kanaal": "email", "tijden": "woensdagmiddag"}
    form.update(overrides)
    return form


def submit(client, **overrides: Any):  # type: ignore[no-untyped-def]
    """Post the teacher's form like a browser (with the CSRF token of the page)."""
    from tests.accounts import csrf_from

    page = client.get("/loopbaangesprek")
    assert page.status_code == 200
    return client.post("/loopbaangesprek", data={**request_form(**overrides), "csrf_token": csrf_from(page.text)})


def gesprekken(app) -> list[Any]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from loket.loopbaangesprek.models import Loopbaangesprek

    with app.state.ctx.sessions() as db:
        return list(db.scalars(select(Loopbaangesprek).order_by(Loopbaangesprek.created_at)))


def outbox(app, recipient: str | None = None) -> list[Any]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from loket.outbox.models import OutboxBericht

    with app.state.ctx.sessions() as db:
        rows = list(db.scalars(select(OutboxBericht).order_by(OutboxBericht.created_at, OutboxBericht.id)))
    return [r for r in rows if recipient is None or r.recipient == recipient]


def link_in(body: str, kind: str) -> str:
    """The path of the signed link of ``kind`` (coach, keuze, feedback) in a message body."""
    import re

    found = re.search(rf"https?://[^/\s]+(/loopbaangesprek/{kind}/[\w.\-]+)", body)
    assert found, f"no {kind} link in: {body}"
    return found.group(1)
