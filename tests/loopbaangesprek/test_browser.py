"""In a real browser: a teacher requests a conversation; the coach logs in, accepts it and proposes times."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from loket.loopbaangesprek.models import Loopbaangesprek
from tests.accounts import make_account
from tests.browser.conftest import desktop  # noqa: F401 - a fixture reused here
from tests.browser.driver import AXE_PATH

pytestmark = pytest.mark.browser


def _axe_serious(page: Any) -> list[str]:
    page.add_script_tag(content=AXE_PATH.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_teacher_requests_and_coach_accepts_and_proposes_times(desktop, live_server) -> None:  # noqa: F811
    page, _watch = desktop
    base = live_server.url
    page.goto(f"{base}/loopbaangesprek")
    assert _axe_serious(page) == []

    # A first try without a name: the error is announced and the field is linked to it.
    page.fill("#email", "sanne@example.org")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    assert page.get_attribute("#naam", "aria-invalid") == "true"

    page.fill("#naam", "Sanne de Vries")
    page.select_option("#bestuur_id", "bestuur-0001")
    page.select_option("#huidige_rol", "leerkracht")
    page.check("#starter")
    page.get_by_label("leiderschap").check()
    page.fill("#wens", "Ik wil graag teamleider worden.")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Je aanvraag is ontvangen")
    promise = page.locator("[role=status]").inner_text()
    assert "neemt" in promise  # a date, or the honest news that nobody is free

    with live_server.app.state.ctx.sessions() as db:
        gesprek = db.scalar(select(Loopbaangesprek).where(Loopbaangesprek.email == "sanne@example.org"))
        assert gesprek is not None and gesprek.starter
        coach_id = gesprek.coach_id
        from loket.coach.models import Coach

        if coach_id is not None:
            assert db.get(Coach, coach_id).bestuur_id != "bestuur-0001"  # type: ignore[union-attr]
    assert coach_id is not None, f"the demo region has free coaches: {gesprek.toelichting}"

    _, email, password = make_account(live_server.app, "coach", coach_id=coach_id)
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/coach")
    assert _axe_serious(page) == []
    page.click(f"a[href='/coach/gesprek/{gesprek.id}']")
    page.click("text=Accepteren")
    page.wait_for_selector("text=Je hebt de aanvraag geaccepteerd")
    assert "sanne@example.org" in page.content()
    page.fill("#tijd-0", "2026-12-09T14:00")
    page.fill("#tijd-1", "2026-12-10T10:00")
    page.fill("#tijd-2", "")
    page.click("text=Tijden sturen")
    page.wait_for_selector("text=De tijden zijn naar de leraar gestuurd")
    assert _axe_serious(page) == []
    with live_server.app.state.ctx.sessions() as db:
        stored = db.get(Loopbaangesprek, gesprek.id)
        assert stored is not None and stored.status == "voorgesteld"
        assert stored.voorgestelde_tijden == ["2026-12-09T13:00:00+00:00", "2026-12-10T09:00:00+00:00"]
