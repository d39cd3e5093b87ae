"""Accessibility (axe-core, no serious or critical violations) and the phone-sized panel."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import PHONE, open_context
from tests.browser.driver import (
    LAUNCHER,
    MESSAGE_INPUT,
    PANEL,
    active_matches,
    axe_serious,
    finish_intake_via_api,
    is_api,
    open_widget_by_keyboard,
    wait_idle,
)

pytestmark = pytest.mark.browser


def _store_key(base: str) -> str:
    return f"loket-widget:{base}"


def test_demo_page_structure_and_axe_with_widget_open(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, _ = desktop
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").count() == 1
    assert page.locator("header").count() >= 1 and page.locator("main").count() == 1
    assert page.locator("footer").count() >= 1 and page.locator("nav").count() >= 1
    # The skip link is the first stop of the keyboard and leads to the content.
    page.keyboard.press("Tab")
    assert active_matches(page, "a.skip-link")
    assert page.locator("a.skip-link").get_attribute("href") == "#inhoud"
    # Exactly one script tag embeds the widget.
    assert page.locator("script[src$='/widget.js']").count() == 1
    launcher = page.get_by_role("button", name="Chat met het Onderwijsloket")
    assert launcher.count() == 1
    assert axe_serious(page) == []

    open_widget_by_keyboard(page, live_server.url)
    dialog = page.get_by_role("dialog", name="Onderwijsloket")
    assert dialog.is_visible()
    assert page.get_by_label("Typ je antwoord").is_visible()
    page.screenshot(path="/tmp/widget-open.png")
    assert axe_serious(page) == []


def test_axe_with_the_advice_shown(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, _ = desktop
    finished = finish_intake_via_api(live_server.url)
    advice = finished["turn"]["advice"]
    page.goto(live_server.url + "/")
    # The person had the chat open when they finished; on this visit the widget restores it with the advice.
    stored = {"session_id": finished["session_id"], "token": finished["token"], "language": "nl",
              "open": True}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [_store_key(live_server.url), json.dumps(stored)])
    with page.expect_response(is_api("/advice", method="GET")):
        page.reload()
    page.wait_for_selector(".loket-advice .loket-route")
    assert page.locator(".loket-advice .loket-route").count() == len(advice["routes"])
    page.locator("details.loket-other-routes > summary").click()
    assert axe_serious(page) == []


def test_phone_sized_panel_is_usable(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context, page, watch = open_context(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto(live_server.url + "/")
        with page.expect_response(is_api("/api/v1/intake")):
            page.locator(LAUNCHER).tap()
        wait_idle(page)
        box = page.locator(PANEL).bounding_box()
        assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}, box
        no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(no_sideways_scroll)
        for selector in (MESSAGE_INPUT, ".loket-send", ".loket-close", ".loket-replies .loket-reply"):
            item = page.locator(selector).first
            assert item.is_visible(), selector
            b = item.bounding_box()
            assert b and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] + 0.5, (selector, b)
            assert b["y"] + b["height"] <= PHONE["height"] + 0.5, (selector, b)
            assert b["height"] >= 44 or selector == ".loket-close", (selector, b)  # big enough to tap
        with page.expect_response(is_api("/messages")):
            page.locator(".loket-replies .loket-reply").first.tap()
        wait_idle(page)
        assert page.locator(".loket-msg-out").count() >= 2
        page.screenshot(path="/tmp/widget-phone.png")
        assert axe_serious(page) == []
        page.locator(".loket-close").tap()
        assert page.locator(PANEL).is_hidden() and page.locator(LAUNCHER).is_visible()
    finally:
        context.close()
    assert watch.errors == [] and watch.blocked == []


def _inline_yes(page: Any) -> None:
    page.locator(".loket-inline .loket-primary").click()


def test_language_restart_and_resume_code(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, _ = desktop
    turn = open_widget_by_keyboard(page, live_server.url)
    with page.expect_response(is_api("/messages")) as info:
        page.locator(f'.loket-reply[data-value="{turn["expecting"]["choices"][0]["value"]}"]').click()
    wait_idle(page)
    turn = info.value.json()
    code, slot = turn["resume_code"], turn["expecting"]["slot"]

    # Switching the language keeps the place in the intake and changes the widget's own words too.
    with page.expect_response(is_api("/language")) as info:
        page.get_by_role("button", name="English").click()
    wait_idle(page)
    switched = info.value.json()
    assert switched["language"] == "en" and switched["expecting"]["slot"] == slot
    assert page.locator(LAUNCHER).text_content().endswith("Chat with the Onderwijsloket")
    assert page.get_by_label("Type your answer").is_visible()
    assert page.locator(".loket-root").get_attribute("lang") == "en"

    # Start again: after a confirmation the local session is forgotten and a new one starts.
    page.get_by_role("button", name="Start again").click()
    assert active_matches(page, ".loket-inline button"), "the confirmation takes the focus"
    with page.expect_response(is_api("/api/v1/intake")) as info:
        _inline_yes(page)
    wait_idle(page)
    fresh = info.value.json()
    assert fresh["session_id"] != turn["session_id"] and fresh["expecting"]["kind"] == "consent"
    assert page.locator(".loket-msg-in").count() == 0

    # Continue with the code of the first intake: same session, same question, its history shown.
    page.get_by_role("button", name="Continue with a code").click()
    page.get_by_label("Your code").fill(code.lower().replace("-", " "))
    with page.expect_response(is_api("/resume")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    resumed = info.value.json()
    assert resumed["session_id"] == turn["session_id"] and resumed["expecting"]["slot"] == slot
    stored = json.loads(page.evaluate("k => localStorage.getItem(k)", _store_key(live_server.url)))
    assert stored["session_id"] == turn["session_id"] and stored["token"] == resumed["token"]
    assert active_matches(page, MESSAGE_INPUT)

    # A wrong code gets the server's sentence, not a raw error.
    page.get_by_role("button", name="Continue with a code").click()
    page.get_by_label("Your code").fill("ZZZZ-ZZZZ")
    with page.expect_response(is_api("/resume")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    assert info.value.status == 404
    assert info.value.json()["detail"] in page.locator(".loket-msg-notice").last.inner_text()

    # Erase my data: a receipt, and the local session is gone.
    page.get_by_role("button", name="Delete my data").click()
    with page.expect_response(is_api(f"/api/v1/intake/{turn['session_id']}", method="DELETE")):
        _inline_yes(page)
    wait_idle(page)
    assert "erased" in page.locator(".loket-msg-notice").last.inner_text()
    stored = json.loads(page.evaluate("k => localStorage.getItem(k)", _store_key(live_server.url)))
    assert "session_id" not in stored
