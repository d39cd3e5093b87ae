"""Drive the chat widget like a person with a keyboard, and read each Turn the server sends.

The questions are not hard-coded: every step reads ``expecting`` (slot, kind, choices) from the Turn the
widget just received, so the tests keep working when knowledge/intake/flow.yaml changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"

MESSAGE_INPUT = ".loket-form .loket-input"
PANEL = ".loket-panel"
LAUNCHER = ".loket-launcher"

# Sensible answers for questions that take typed text; choice questions take their first button.
TYPED = {
    "days_per_week": "3",
    "max_travel_km": "25 km",
    "age": "34",
    "qualification_year": "2005",
    "current_role": "verpleegkundige",
    "education_field": "pedagogiek",
    "goal_subject": "muziek",
    "place": "Amersfoort",
}
# For a realistic zij-instromer some choices are picked by value when offered; otherwise the first button.
PREFERRED = {"education_level": "hbo_bachelor", "works_in_education": "nee", "foreign_diploma": "nee"}
# One sentence that answers several questions at once (mixed initiative).
MIXED = "Ik wil juf worden op een basisschool en ik woon in Amersfoort"


def is_api(path_end: str, method: str = "POST") -> Any:
    """A predicate for page.expect_response: a call to the intake API ending in ``path_end``."""
    return lambda r: r.request.method == method and r.url.split("?")[0].endswith(path_end)


def active_matches(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector))


def tab_to(page: Any, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if active_matches(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} not reachable with {key} in {limit} presses")


def wait_idle(page: Any) -> None:
    """Wait until the widget has rendered the answer (no request in flight)."""
    page.wait_for_function(
        "() => { const s = document.querySelector('.loket-scroll');"
        " return s && s.getAttribute('aria-busy') === 'false'; }"
    )


def open_widget_by_keyboard(page: Any, base: str) -> dict[str, Any]:
    """Load the demo page, Tab to the launcher, press Enter; return the first Turn."""
    page.goto(base + "/")
    page.wait_for_selector(LAUNCHER)
    tab_to(page, LAUNCHER)
    with page.expect_response(is_api("/api/v1/intake")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    return info.value.json()


def press_reply(page: Any, value: str) -> dict[str, Any]:
    """From the input, Shift+Tab to the answer button with ``value`` and press Enter."""
    tab_to(page, f'.loket-replies .loket-reply[data-value="{value}"]', backwards=True)
    with page.expect_response(is_api("/messages")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    return info.value.json()


def type_answer(page: Any, text: str) -> dict[str, Any]:
    """Type ``text`` into the focused input and press Enter."""
    assert active_matches(page, MESSAGE_INPUT), "the focus should be in the input"
    page.keyboard.type(text)
    with page.expect_response(is_api("/messages")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    return info.value.json()


def tick_and_confirm(page: Any, values: list[str]) -> dict[str, Any]:
    """Tick checkboxes of a multi-choice question with Space, then confirm with the widget's button."""
    for value in values:
        tab_to(page, f'.loket-multi input[type="checkbox"][value="{value}"]', backwards=True)
        page.keyboard.press("Space")
    tab_to(page, ".loket-multi .loket-primary")
    with page.expect_response(is_api("/messages")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    return info.value.json()


def answer_for(expecting: dict[str, Any]) -> tuple[str, Any]:
    """How to answer: ("type", text), ("reply", value) or ("tick", [values])."""
    slot, kind = expecting["slot"], expecting["kind"]
    values = [c["value"] for c in expecting.get("choices") or []]
    if kind == "multi_choice":
        return "tick", values[:2]
    if slot in TYPED or kind in ("number", "text", "place"):
        return "type", TYPED.get(slot, "3" if kind == "number" else "weet ik niet")
    if slot in PREFERRED and PREFERRED[slot] in values:
        return "reply", PREFERRED[slot]
    if kind == "yes_no" and "ja" in values and slot not in PREFERRED:
        return "reply", "ja"
    return "reply", values[0]


def drive_to_advice(page: Any, turn: dict[str, Any], *, mixed: bool = True, max_turns: int = 60) -> tuple[
        dict[str, Any], list[dict[str, Any]]]:
    """Answer every question by keyboard until the advice arrives; return the last Turn and all asked."""
    asked: list[dict[str, Any]] = []
    mixed_pending = mixed
    for _ in range(max_turns):
        if turn.get("done"):
            return turn, asked
        expecting = turn["expecting"]
        assert expecting, f"nothing asked and not done: {turn}"
        asked.append(expecting)
        if mixed_pending and expecting["slot"] == "goal_role":
            mixed_pending = False
            turn = type_answer(page, MIXED)
        else:
            how, what = answer_for(expecting)
            if how == "type":
                turn = type_answer(page, what)
            elif how == "tick":
                turn = tick_and_confirm(page, what)
            else:
                turn = press_reply(page, what)
        assert active_matches(page, MESSAGE_INPUT), f"focus left the input after {expecting['slot']}"
    raise AssertionError(f"no advice after {max_turns} turns; asked: {[e['slot'] for e in asked]}")


def finish_intake_via_api(base: str) -> dict[str, Any]:
    """A whole intake through the HTTP API (no browser): session id, token and the final Turn."""
    with httpx.Client(base_url=base, timeout=10) as http:
        turn = http.post("/api/v1/intake", json={"language": "nl", "channel": "web"}).json()
        session_id, token = turn["session_id"], turn["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for n in range(60):
            if turn.get("done"):
                return {"session_id": session_id, "token": token, "turn": turn}
            expecting = turn["expecting"]
            how, what = answer_for(expecting)
            text = ",".join(what) if how == "tick" else what
            response = http.post(f"/api/v1/intake/{session_id}/messages", headers=headers,
                                 json={"text": text, "client_message_id": f"api-{n}"})
            assert response.status_code == 200, response.text
            turn = response.json()
    raise AssertionError("the intake did not finish through the API")


def axe_serious(page: Any) -> list[dict[str, Any]]:
    """Run the vendored axe-core on the page; return violations with impact serious or critical."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
