"""The console in headless Chromium: log in, override a proposal, see the candidate's stage change; axe-core
finds no serious or critical problems on the dashboard, the review queue and the candidate page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.match.models import Match
from tests.accounts import make_account
from tests.browser.conftest import open_context
from tests.browser.driver import axe_serious

SCREENSHOT = "/tmp/dashboard.png"


def test_review_override_and_stage_change_with_axe(browser: Any, live_server: Any) -> None:
    _id, email, password = make_account(live_server.app, "coordinator")
    context, page, watch = open_context(browser, live_server, {"width": 1280, "height": 900})
    try:
        page.goto(live_server.url + "/console")
        assert "/login" in page.url
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button:has-text('Inloggen')")
        page.wait_for_selector("h1:has-text('Overzicht van de regio')")
        page.screenshot(path=SCREENSHOT, full_page=True)  # what a first-time user sees (not committed)
        assert axe_serious(page) == [], "dashboard"

        page.click("nav >> text=Beoordelen")
        page.wait_for_selector("h1:has-text('Voorstellen beoordelen')")
        assert axe_serious(page) == [], "queue"
        first = page.locator("table tbody tr th a").first
        match_id = first.get_attribute("href").rsplit("/", 1)[1]
        with live_server.app.state.ctx.sessions() as db:
            match = db.get(Match, match_id)
            kandidaat_id, proposed = match.kandidaat_id, match.onderwerp_id
        page.goto(f"{live_server.url}/console/kandidaten/{kandidaat_id}")
        assert page.inner_text("#fase-nu") == "Nieuw"

        page.goto(f"{live_server.url}/console/beoordelen/{match_id}")
        page.check("input[name=besluit][value=overschrijven]")
        options = page.eval_on_selector_all("#keuze option", "els => els.map(e => e.value).filter(v => v)")
        choice = next(v for v in options if v != proposed)
        page.select_option("#keuze", choice)
        page.fill("#reden", "Heeft al een hbo-diploma en wil in deeltijd leren.")
        page.click("button:has-text('Besluit opslaan')")
        page.wait_for_selector(".flash:has-text('aangepast')")

        page.goto(f"{live_server.url}/console/kandidaten/{kandidaat_id}")
        assert page.inner_text("#fase-nu") == "Geïnformeerd"
        assert "Aangepast naar" in page.inner_text("main")
        assert axe_serious(page) == [], "candidate"
        with live_server.app.state.ctx.sessions() as db:
            stored = db.scalar(select(Match).where(Match.id == match_id))
            assert (stored.status, stored.vervangen_door) == ("overschreven", choice)
    finally:
        context.close()
    assert watch.errors == [] and watch.blocked == []


def test_the_bestuur_makes_an_api_key_in_its_page_with_axe(browser: Any, live_server: Any) -> None:
    _id, email, password = make_account(live_server.app, "bestuur", bestuur_id="bestuur-0001")
    context, page, watch = open_context(browser, live_server, {"width": 1280, "height": 900})
    try:
        page.goto(live_server.url + "/bestuur/koppeling")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button:has-text('Inloggen')")
        page.wait_for_selector("h1:has-text('Koppeling met je eigen systemen')")
        assert axe_serious(page) == [], "koppeling"
        page.fill("#naam", "AFAS")
        page.click("button:has-text('Sleutel maken')")
        page.wait_for_selector("#nieuwe-sleutel")
        assert page.inner_text("#nieuwe-sleutel").startswith("lkb_")
        assert axe_serious(page) == [], "new key"
    finally:
        context.close()
    assert watch.errors == [] and watch.blocked == []


def test_the_ambitieafspraken_monitor_with_axe(browser: Any, live_server: Any) -> None:
    _id, email, password = make_account(live_server.app, "coordinator")
    context, page, watch = open_context(browser, live_server, {"width": 1280, "height": 900})
    try:
        page.goto(live_server.url + "/console/ambities")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button:has-text('Inloggen')")
        page.wait_for_selector("h1:has-text('Ambitieafspraken')")
        for code in ("1", "2.1", "2.2", "3.1", "3.2"):
            assert page.locator(f"[id='ambitie-{code}'] svg.line-chart").count() == 1, code
        page.screenshot(path="/tmp/ambities.png", full_page=False)
        assert axe_serious(page) == [], "monitor"
        page.goto(live_server.url + "/console/ambities/import")
        assert axe_serious(page) == [], "import"
        page.goto(live_server.url + "/console/ambities/rapportage")
        assert axe_serious(page) == [], "report"
    finally:
        context.close()
    assert watch.errors == [] and watch.blocked == []
