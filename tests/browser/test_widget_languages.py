"""The widget in five languages: Arabic right to left, Ukrainian, and a switch from Arabic to Dutch halfway.

Every chat text comes from the server in the chat language; the widget's own words come from
GET /api/v1/widget/texts (knowledge/texts/widget.yaml). The tests read the question of each Turn, as
tests/browser/driver.py does, and answer by keyboard only (Tab, Shift+Tab, Enter, Space).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.driver import (
    AXE_PATH,
    LAUNCHER,
    MESSAGE_INPUT,
    PANEL,
    active_matches,
    answer_for,
    drive_to_advice,
    is_api,
    open_widget_by_keyboard,
    press_reply,
    tab_to,
    tick_and_confirm,
    type_answer,
    wait_idle,
)

pytestmark = pytest.mark.browser

ROOT = ".loket-root"
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "ar": "العربية", "uk": "Українська", "tr": "Türkçe"}


def _host_page(page: Any, base: str, *, data_lang: str | None = None) -> str:
    """A plain Dutch site of a municipality that embeds the widget, with or without data-lang."""
    lang_attr = f' data-lang="{data_lang}"' if data_lang else ""
    html = (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Gemeente</title></head><body>'
            f'<main><h1>Nieuw in Amersfoort</h1><p>Werken in het onderwijs.</p></main>'
            f'<script src="{base}/widget.js" data-loket-base="{base}"{lang_attr} async></script></body></html>')
    url = f"{base}/gemeente-site"
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    return url


def _open_by_keyboard(page: Any, url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Load ``url``, Tab to the launcher, press Enter; the request body and the first Turn."""
    page.goto(url)
    page.wait_for_selector(LAUNCHER)
    tab_to(page, LAUNCHER)
    with page.expect_response(is_api("/api/v1/intake")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    return json.loads(info.value.request.post_data), info.value.json()


def _axe(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation on the page, whatever its impact (the vendored axe, as driver.axe_serious)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def _root(page: Any) -> tuple[str | None, str | None]:
    root = page.locator(ROOT)
    return root.get_attribute("dir"), root.get_attribute("lang")


def _bot_texts(page: Any) -> list[str]:
    return page.eval_on_selector_all(".loket-msg-out .loket-msg-text", "els => els.map(e => e.textContent)")


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return box


def _assert_language_menu(page: Any, current: str) -> None:
    """All five languages, each named in itself with its own lang, the chat language pressed."""
    buttons = page.locator(".loket-langs .loket-lang")
    assert buttons.count() == 5
    found = {buttons.nth(i).get_attribute("lang"): buttons.nth(i) for i in range(5)}
    assert set(found) == set(LANGUAGE_NAMES)
    for code, button in found.items():
        assert button.inner_text() == LANGUAGE_NAMES[code]
        assert button.is_visible()
        assert button.get_attribute("aria-pressed") == ("true" if code == current else "false")
    assert found["ar"].get_attribute("dir") == "rtl"
    group = page.locator(".loket-langs")
    assert group.get_attribute("role") == "group"
    name = page.locator("#" + group.get_attribute("aria-labelledby")).text_content()
    assert "Language" in name or "Taal" in name, name


def _assert_focus_visible(page: Any) -> None:
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and style[1] != "0px", style


def _answer(page: Any, turn: dict[str, Any]) -> dict[str, Any]:
    """Answer one question by keyboard: a button where there is one (typed Arabic or Ukrainian is not
    needed), digits or a place name where the question has no buttons."""
    how, what = answer_for(turn["expecting"])
    if how == "type":
        return type_answer(page, what)
    if how == "tick":
        return tick_and_confirm(page, what)
    return press_reply(page, what)


def test_arabic_right_to_left_keyboard_only_to_advice(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, watch = desktop
    # A Syrian newcomer's browser: Arabic first; the site (Dutch) sets no data-lang.
    page.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['ar-SY', 'ar', 'en']});"
                         "Object.defineProperty(navigator, 'language', {get: () => 'ar-SY'});")
    url = _host_page(page, live_server.url)
    page.goto(url)
    page.wait_for_selector(LAUNCHER)
    assert _root(page) == ("rtl", "ar")
    assert ARABIC.search(page.locator(LAUNCHER).inner_text())
    # Mirrored: the launcher sits at the bottom left of the screen, where an Arabic reader looks for it.
    assert _box(page, LAUNCHER)["x"] < 100

    body, turn = _open_by_keyboard(page, url)
    assert body["language"] == "ar" and turn["language"] == "ar"
    assert turn["expecting"]["kind"] == "consent"
    assert active_matches(page, MESSAGE_INPUT)
    question = _bot_texts(page)[-1]
    assert ARABIC.search(question), question
    assert page.locator(".loket-msg-out .loket-msg-text").last.get_attribute("lang") == "ar"
    _assert_language_menu(page, "ar")
    assert ARABIC.search(page.locator(".loket-lang-note").inner_text()), "the translation is marked unreviewed"
    assert ARABIC.search(page.get_by_label(re.compile("اكتب")).get_attribute("placeholder") or "")

    # Reading order right to left: the panel on the left, the bot's bubble on the right (the start), the
    # send button left of the input, the first answer button at the right.
    viewport = page.viewport_size
    panel = _box(page, PANEL)
    assert panel["x"] < viewport["width"] / 2
    scroller = _box(page, ".loket-scroll")
    bubble = _box(page, ".loket-msg-out")
    assert abs((scroller["x"] + scroller["width"]) - (bubble["x"] + bubble["width"])) < 30, (scroller, bubble)
    assert _box(page, ".loket-send")["x"] < _box(page, MESSAGE_INPUT)["x"]
    replies = page.locator(".loket-replies .loket-reply")
    first, second = replies.nth(0).bounding_box(), replies.nth(1).bounding_box()
    if abs(first["y"] - second["y"]) < 5:  # on one row
        assert first["x"] > second["x"], (first, second)
    assert page.locator(".loket-replies").evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.screenshot(path="/tmp/widget-ar-start.png")
    assert _axe(page) == [], "axe at the start of the Arabic chat"

    # The consent, typed in Arabic.
    tab_to(page, MESSAGE_INPUT)
    turn = type_answer(page, "نعم")
    assert turn["expecting"] and turn["expecting"]["kind"] != "consent", turn
    assert turn["resume_code"] in page.locator(".loket-code").inner_text()
    assert page.locator(".loket-code strong").get_attribute("dir") == "ltr"
    assert active_matches(page, MESSAGE_INPUT)

    # The answer buttons are reachable by Shift+Tab and show a visible focus.
    tab_to(page, ".loket-replies .loket-reply", backwards=True)
    _assert_focus_visible(page)
    tab_to(page, MESSAGE_INPUT)

    final, asked = drive_to_advice(page, turn, mixed=False)
    assert "confirm" in [e["slot"] for e in asked]
    assert final["language"] == "ar"
    page.wait_for_selector(".loket-advice .loket-route")
    advice = page.locator(".loket-msg-advice")
    assert advice.get_attribute("lang") == "ar" and advice.get_attribute("dir") == "rtl"
    assert ARABIC.search(page.locator(".loket-advice h3").inner_text())
    badge = page.locator(".loket-advice .loket-badge").first.inner_text()
    assert ARABIC.search(badge), badge
    # The cards mirror too: their coloured edge is on the right.
    card = page.locator(".loket-advice .loket-route").first
    assert card.evaluate("e => getComputedStyle(e).borderRightWidth") == "5px"
    assert _root(page) == ("rtl", "ar")
    details = page.locator("details.loket-other-routes")
    if details.count():
        tab_to(page, "details.loket-other-routes > summary", backwards=True, limit=200)
        _assert_focus_visible(page)
        page.keyboard.press("Enter")
        assert details.get_attribute("open") is not None
    page.screenshot(path="/tmp/widget-ar-advice.png")
    assert _axe(page) == [], "axe at the Arabic advice"
    assert watch.dialogs == []


def test_ukrainian_keyboard_only_to_advice(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, watch = desktop
    url = _host_page(page, live_server.url, data_lang="uk")  # the site asks for Ukrainian
    body, turn = _open_by_keyboard(page, url)
    assert body["language"] == "uk" and turn["language"] == "uk"
    assert _root(page) == ("ltr", "uk")
    assert CYRILLIC.search(page.locator(LAUNCHER).text_content())
    assert CYRILLIC.search(_bot_texts(page)[-1])
    assert page.get_by_label("Напишіть відповідь").is_visible()
    assert CYRILLIC.search(page.locator(".loket-replies .loket-reply").first.inner_text())
    _assert_language_menu(page, "uk")
    # Left to right: the panel stays at the right, the send button after the input.
    assert _box(page, PANEL)["x"] > page.viewport_size["width"] / 2
    assert _box(page, ".loket-send")["x"] > _box(page, MESSAGE_INPUT)["x"]
    page.screenshot(path="/tmp/widget-uk-start.png")
    assert _axe(page) == [], "axe at the start of the Ukrainian chat"

    turn = press_reply(page, turn["expecting"]["choices"][0]["value"])
    assert turn["expecting"]["kind"] != "consent"
    final, _ = drive_to_advice(page, turn, mixed=False)
    assert final["language"] == "uk"
    page.wait_for_selector(".loket-advice .loket-route")
    assert CYRILLIC.search(page.locator(".loket-advice h3").inner_text())
    assert CYRILLIC.search(page.locator(".loket-advice .loket-badge").first.inner_text())
    page.screenshot(path="/tmp/widget-uk-advice.png")
    assert _axe(page) == [], "axe at the Ukrainian advice"

    # A switch after the advice shows the advice once more, in the new language.
    tab_to(page, '.loket-lang[lang="en"]', backwards=True, limit=300)
    with page.expect_response(is_api("/advice", method="GET")):
        page.keyboard.press("Enter")
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.loket-advice').length === 2")
    assert page.locator(".loket-advice h3").last.inner_text() == "Your advice"
    assert page.locator(".loket-msg-advice").last.get_attribute("lang") == "en"
    assert page.locator(".loket-msg-advice").first.get_attribute("lang") == "uk"
    assert _root(page) == ("ltr", "en")
    assert watch.dialogs == []


def test_switch_from_arabic_to_dutch_halfway_keeps_the_answers(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, watch = desktop
    turn = open_widget_by_keyboard(page, live_server.url)  # the demo page: data-lang="nl"
    assert _root(page) == ("ltr", "nl")
    _assert_language_menu(page, "nl")

    # Arabic from the language menu, by keyboard, before the consent.
    tab_to(page, '.loket-lang[lang="ar"]', backwards=True)
    with page.expect_response(is_api("/language")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    turn = info.value.json()
    assert turn["language"] == "ar" and turn["expecting"]["kind"] == "consent"
    assert _root(page) == ("rtl", "ar")
    assert ARABIC.search(_bot_texts(page)[-1])
    assert active_matches(page, '.loket-lang[lang="ar"]'), "the focus stays on the chosen language"
    _assert_focus_visible(page)
    _assert_language_menu(page, "ar")

    tab_to(page, MESSAGE_INPUT)
    turn = press_reply(page, turn["expecting"]["choices"][0]["value"])
    answered: list[str] = []
    for _ in range(3):
        answered.append(turn["expecting"]["slot"])
        turn = _answer(page, turn)
    current = turn["expecting"]["slot"]
    assert current not in answered
    arabic_before = [t for t in _bot_texts(page) if ARABIC.search(t)]
    assert arabic_before

    # Halfway: back to Dutch. The same question comes again in Dutch; nothing is lost.
    tab_to(page, '.loket-lang[lang="nl"]', backwards=True)
    with page.expect_response(is_api("/language")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    switched = info.value.json()
    assert switched["language"] == "nl"
    assert switched["expecting"]["slot"] == current, "the intake continues at the same question"
    assert _root(page) == ("ltr", "nl")
    _assert_language_menu(page, "nl")
    assert page.get_by_label("Typ je antwoord").is_visible()
    assert page.locator(".loket-lang-note").is_hidden(), "Dutch needs no note about the translation"
    assert not ARABIC.search(_bot_texts(page)[-1]), "the question is asked in Dutch now"
    # What was said in Arabic stays, still right to left inside its bubble.
    kept = page.locator(".loket-msg-out .loket-msg-text[lang='ar']")
    assert kept.count() >= len(arabic_before) and kept.first.get_attribute("dir") == "rtl"
    assert _box(page, ".loket-send")["x"] > _box(page, MESSAGE_INPUT)["x"]
    assert page.locator(LAUNCHER).text_content().endswith("Chat met het Onderwijsloket")

    tab_to(page, MESSAGE_INPUT)
    final, asked = drive_to_advice(page, switched, mixed=False)
    asked_again = [e["slot"] for e in asked if e["slot"] in answered]
    assert asked_again == [], f"asked again after the switch: {asked_again}"
    assert final["language"] == "nl"
    page.wait_for_selector(".loket-advice .loket-route")
    assert page.locator(".loket-advice h3").inner_text() == "Jouw advies"
    assert _root(page) == ("ltr", "nl")
    stored = json.loads(page.evaluate("k => localStorage.getItem(k)", f"loket-widget:{live_server.url}"))
    assert stored["language"] == "nl" and stored["chosen"] == "nl"
    assert _axe(page) == []
    assert watch.dialogs == []


def test_the_person_s_choice_outlasts_a_new_chat_and_the_texts_come_from_the_server(  # type: ignore[no-untyped-def]
        desktop, live_server) -> None:
    page, _ = desktop
    texts: list[str] = []
    page.on("request", lambda r: texts.append(r.url) if r.url.endswith("/api/v1/widget/texts") else None)
    open_widget_by_keyboard(page, live_server.url)
    assert len(texts) == 1, "the widget's words are loaded once"
    tab_to(page, '.loket-lang[lang="tr"]', backwards=True)
    with page.expect_response(is_api("/language")):
        page.keyboard.press("Enter")
    wait_idle(page)
    assert _root(page) == ("ltr", "tr")
    assert page.get_by_role("button", name="Baştan başla").is_visible()

    # Start again: the new chat is in Turkish too, although the page says data-lang="nl".
    page.get_by_role("button", name="Baştan başla").click()
    with page.expect_response(is_api("/api/v1/intake")) as info:
        page.locator(".loket-inline .loket-primary").click()
    wait_idle(page)
    assert json.loads(info.value.request.post_data)["language"] == "tr"
    assert info.value.json()["language"] == "tr"
    page.reload()
    page.wait_for_selector(PANEL)
    wait_idle(page)
    assert _root(page) == ("ltr", "tr")



def test_without_the_texts_the_widget_still_works_with_its_few_built_in_words(  # type: ignore[no-untyped-def]
        desktop, live_server) -> None:
    page, _ = desktop
    page.route("**/api/v1/widget/texts", lambda route: route.fulfill(status=503, json={"detail": "down"}))
    turn = open_widget_by_keyboard(page, live_server.url)
    assert page.locator(LAUNCHER).text_content().endswith("Chat met het Onderwijsloket")
    assert page.get_by_label("Typ je antwoord").is_visible()
    assert turn["expecting"]["kind"] == "consent" and _bot_texts(page)
    assert page.locator(".loket-tools").is_hidden(), "no nameless buttons"
    _assert_language_menu(page, "nl")
    assert _axe(page) == []
    turn = press_reply(page, turn["expecting"]["choices"][0]["value"])
    assert turn["expecting"]["kind"] != "consent"


def test_the_loopbaangesprek_from_an_arabic_chat_starts_in_english(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, _ = desktop
    url = _host_page(page, live_server.url, data_lang="ar")
    _open_by_keyboard(page, url)
    assert _root(page) == ("rtl", "ar")
    tab_to(page, ".loket-flow-switch", backwards=True)
    with page.expect_response(is_api("/api/v1/loopbaangesprek/chat")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    # That chat speaks only Dutch and English so far (ChatStart.language): the widget asks for English
    # and follows the language of its Turn.
    assert info.value.status == 201
    assert json.loads(info.value.request.post_data)["language"] == "en"
    assert _root(page) == ("ltr", info.value.json().get("language", "en"))
    assert active_matches(page, MESSAGE_INPUT)
