"""The widget on the demo page: a whole intake by keyboard, reload, markup shown as text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.driver import (
    LAUNCHER,
    MESSAGE_INPUT,
    MIXED,
    PANEL,
    active_matches,
    drive_to_advice,
    is_api,
    open_widget_by_keyboard,
    press_reply,
    tab_to,
    type_answer,
    wait_idle,
)

pytestmark = pytest.mark.browser


def _texts(page: Any, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def test_keyboard_only_intake_to_advice(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, watch = desktop
    turn = open_widget_by_keyboard(page, live_server.url)
    assert turn["expecting"]["kind"] == "consent"
    assert page.locator(LAUNCHER).get_attribute("aria-expanded") == "true"
    assert active_matches(page, MESSAGE_INPUT), "opening the chat puts the focus in the input"

    # Escape closes the dialog and gives the focus back to the launcher; Enter opens it again.
    page.keyboard.press("Escape")
    assert page.locator(PANEL).is_hidden()
    assert active_matches(page, LAUNCHER)
    page.keyboard.press("Enter")
    assert page.locator(PANEL).is_visible()
    assert active_matches(page, MESSAGE_INPUT)

    consent_value = turn["expecting"]["choices"][0]["value"]
    turn = press_reply(page, consent_value)
    assert active_matches(page, MESSAGE_INPUT), "after a quick reply the focus is back in the input"
    assert turn.get("resume_code"), "after consent the server gives a resume code"
    assert turn["resume_code"] in page.locator(".loket-code").inner_text()

    final, asked = drive_to_advice(page, turn)
    slots = [e["slot"] for e in asked]
    assert "goal_role" in slots and "confirm" in slots, slots
    # The mixed-initiative sentence answered the place as well, so it was never asked.
    assert "place" not in slots, slots
    summary = [t for t in _texts(page, ".loket-msg-out .loket-msg-text") if "Amersfoort" in t]
    assert summary, "the summary lists the place taken from the mixed sentence"
    assert MIXED in _texts(page, ".loket-msg-in .loket-msg-text")

    advice = final["advice"]
    page.wait_for_selector(".loket-advice")
    page.screenshot(path="/tmp/widget-advice-top.png")
    routes = advice["routes"]
    fitting = [r for r in routes if r["fit"] != "no"]
    not_fitting = [r for r in routes if r["fit"] == "no"]
    shown = page.locator(".loket-advice > .loket-route")
    assert shown.count() == len(fitting)
    badges = {"yes": "Past", "maybe": "Past misschien", "no": "Past niet"}
    for i, route in enumerate(fitting):
        card = shown.nth(i)
        assert card.locator(".loket-card-title").inner_text() == route["title"]
        assert card.locator(".loket-badge").inner_text().endswith(badges[route["fit"]])
    # Routes that do not fit are collapsed in a disclosure, and open by keyboard.
    details = page.locator("details.loket-other-routes")
    if not_fitting:
        assert details.count() == 1 and details.get_attribute("open") is None
        assert details.locator(".loket-route").count() == len(not_fitting)
        tab_to(page, "details.loket-other-routes > summary", backwards=True, limit=200)
        page.keyboard.press("Enter")
        assert details.get_attribute("open") is not None
        assert details.locator(".loket-badge").first.inner_text().endswith("Past niet")
    # Source links open safely in a new window.
    links = page.locator(".loket-advice a")
    assert links.count() >= 1
    for i in range(links.count()):
        assert links.nth(i).get_attribute("target") == "_blank"
        assert "noopener" in (links.nth(i).get_attribute("rel") or "")
        assert links.nth(i).get_attribute("href").startswith("http")
    if advice["vacatures"]:
        assert page.locator(".loket-advice .loket-match").count() >= len(advice["vacatures"])
        assert "km" in page.locator(".loket-advice .loket-distance").first.inner_text()
    if advice["next_steps"]:
        assert _texts(page, ".loket-steps li") == advice["next_steps"]
    # One polite live region, and it has announced the last bot words.
    assert page.locator(".loket-root [aria-live]").count() == 1
    assert page.locator(".loket-root [aria-live]").get_attribute("aria-live") == "polite"
    page.wait_for_function("() => document.querySelector('.loket-root [aria-live]').textContent.length > 0")
    page.screenshot(path="/tmp/widget-advice.png")
    assert watch.dialogs == []


def test_reload_mid_intake_continues(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, _ = desktop
    turn = open_widget_by_keyboard(page, live_server.url)
    turn = press_reply(page, turn["expecting"]["choices"][0]["value"])
    first_question = turn["expecting"]["slot"]
    last_choice = turn["expecting"]["choices"][0]
    turn = press_reply(page, last_choice["value"])
    current = turn["expecting"]
    assert current["slot"] != first_question
    before = _texts(page, ".loket-msg-in .loket-msg-text")

    with page.expect_response(is_api("/turn", method="GET")) as info:
        page.reload()
    wait_idle(page)
    restored = info.value.json()
    assert restored["expecting"]["slot"] == current["slot"], "the reload continues at the same question"
    assert page.locator(PANEL).is_visible(), "the chat that was open is open again"
    # The history is shown again: what the person answered and the question now asked.
    # (the consent answer itself is not stored: nothing is kept from before the yes)
    after_reload = _texts(page, ".loket-msg-in .loket-msg-text")
    assert 1 <= len(after_reload) <= len(before)
    assert after_reload[-1] in (last_choice["value"], last_choice["label"])
    question_text = restored["messages"][-1]["text"] if restored["messages"] else ""
    assert question_text and question_text in _texts(page, ".loket-msg-out .loket-msg-text")
    buttons = page.locator(".loket-replies .loket-reply")
    assert buttons.count() >= 1
    assert page.locator(".loket-code").is_visible()

    # And it goes on from there.
    tab_to(page, MESSAGE_INPUT)
    value = restored["expecting"]["choices"][0]["value"] if restored["expecting"]["choices"] else None
    after = press_reply(page, value) if value else type_answer(page, "3")
    assert after["expecting"] is None or after["expecting"]["slot"] != current["slot"]


def test_markup_typed_or_received_is_shown_as_text(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, watch = desktop
    turn = open_widget_by_keyboard(page, live_server.url)
    turn = press_reply(page, turn["expecting"]["choices"][0]["value"])
    attack = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script><b>vet</b>'
    type_answer(page, attack)
    assert attack in _texts(page, ".loket-msg-in .loket-msg-text")
    assert page.locator(".loket-messages img, .loket-messages script, .loket-messages b").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert watch.dialogs == []

    # Text from the server is never markup either: a Turn carrying HTML is shown literally.
    evil = '<img src=x onerror="window.__xss=3">Hallo'
    fake_turn = {"session_id": turn["session_id"], "done": False, "language": "nl",
                 "messages": [{"text": evil, "quick_replies": [{"value": "x", "label": "<b>knop</b>"}]}],
                 "expecting": {"slot": "goal_role", "kind": "choice",
                               "choices": [{"value": "x", "label": "<b>knop</b>"}]}}
    page.route("**/messages", lambda route: route.fulfill(json=fake_turn))
    tab_to(page, MESSAGE_INPUT)
    type_answer(page, "hallo")
    assert evil in _texts(page, ".loket-msg-out .loket-msg-text")
    assert page.locator('.loket-reply[data-value="x"]').inner_text() == "<b>knop</b>"
    assert page.locator(".loket-root img, .loket-root b").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert watch.dialogs == []


def test_network_error_retry_sends_the_same_message_once(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, _ = desktop
    turn = open_widget_by_keyboard(page, live_server.url)
    bodies: list[dict[str, Any]] = []
    offline = {"next": True}

    def flaky(route: Any) -> None:
        bodies.append(json.loads(route.request.post_data))
        if offline["next"]:
            offline["next"] = False
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/messages", flaky)
    tab_to(page, f'.loket-reply[data-value="{turn["expecting"]["choices"][0]["value"]}"]', backwards=True)
    page.keyboard.press("Enter")
    notice = page.locator(".loket-msg-notice").last
    notice.wait_for()
    assert "geen verbinding" in notice.inner_text()
    assert active_matches(page, MESSAGE_INPUT)
    tab_to(page, ".loket-msg-notice .loket-reply", backwards=True)
    with page.expect_response(is_api("/messages")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    assert info.value.status == 200 and info.value.json()["expecting"]["slot"] != "consent"
    assert len(bodies) == 2 and bodies[0]["client_message_id"] == bodies[1]["client_message_id"]
    assert bodies[0]["text"] == bodies[1]["text"] == turn["expecting"]["choices"][0]["value"]
    assert bodies[0]["website"] == "", "the honeypot field travels along, empty for a person"
    assert page.locator(".loket-msg-in").count() == 1, "the person's message is shown once"
    assert active_matches(page, MESSAGE_INPUT)
