"""The widget offers the loopbaangesprek chat: a teacher requests a career conversation by keyboard only."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.driver import (
    MESSAGE_INPUT,
    active_matches,
    axe_serious,
    is_api,
    open_widget_by_keyboard,
    press_reply,
    tab_to,
    type_answer,
    wait_idle,
)

pytestmark = pytest.mark.browser

TYPED = {"naam": "Sanne de Vries", "email": "sanne.lb@example.org", "wens": "Ik wil graag teamleider worden",
         "telefoon": "06 12345678", "tijden": "woensdagmiddag"}
PREFERRED = {"starter": "nee", "contact_kanaal": "email", "tags": "leiderschap"}


def _bestuur(live_server) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    from loket.bestuur.models import Bestuur

    with live_server.app.state.ctx.sessions() as db:
        bestuur = db.scalars(select(Bestuur).order_by(Bestuur.id)).first()
        return bestuur.id, bestuur.naam


def _drive(page: Any, turn: dict[str, Any], bestuur_naam: str) -> dict[str, Any]:
    """Answer the loopbaangesprek chat by keyboard until its request is confirmed."""
    ticked = False
    for _ in range(40):
        if turn.get("done"):
            return turn
        expecting = turn["expecting"]
        slot, kind = expecting["slot"], expecting["kind"]
        values = [c["value"] for c in expecting.get("choices") or []]
        if kind == "multi_choice":
            turn = press_reply(page, "klaar" if ticked else PREFERRED["tags"])
            ticked = True
        elif slot == "bestuur_id" and not values:
            turn = type_answer(page, bestuur_naam)
        elif slot in TYPED and not values or kind in ("text", "email", "phone") and slot in TYPED:
            turn = type_answer(page, TYPED[slot])
        elif slot == "confirm":
            turn = press_reply(page, "bevestig")
        else:
            turn = press_reply(page, PREFERRED[slot] if PREFERRED.get(slot) in values else values[0])
        assert active_matches(page, MESSAGE_INPUT), f"focus left the input after {slot}"
    raise AssertionError("the loopbaangesprek chat did not finish")


def test_keyboard_only_loopbaangesprek_from_the_intake_start(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    from loket.loopbaangesprek.models import Loopbaangesprek

    page, watch = desktop
    bestuur_id, bestuur_naam = _bestuur(live_server)
    turn = open_widget_by_keyboard(page, live_server.url)
    assert turn["expecting"]["kind"] == "consent"
    offer = page.locator(".loket-flow-switch")
    assert offer.is_visible() and offer.inner_text() == "Ik ben leraar en wil een loopbaangesprek"
    tab_to(page, ".loket-flow-switch", backwards=True)
    with page.expect_response(is_api("/api/v1/loopbaangesprek/chat")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    turn = info.value.json()
    assert turn["flow"] == "loopbaangesprek" and turn["expecting"]["kind"] == "consent"
    assert active_matches(page, MESSAGE_INPUT), "the new chat puts the focus in the input"
    assert page.locator(".loket-flow-switch").is_hidden()
    assert page.locator(".loket-subtitle").inner_text() == "Een loopbaangesprek aanvragen"
    assert not axe_serious(page), "axe: serious problems with the loopbaangesprek chat open"

    # A reload in the middle continues the same chat where it was.
    turn = press_reply(page, turn["expecting"]["choices"][0]["value"])
    turn = type_answer(page, TYPED["naam"])
    with page.expect_response(is_api("/turn", "GET")) as info:
        page.reload()
    wait_idle(page)
    assert info.value.json()["expecting"]["slot"] == turn["expecting"]["slot"] == "email"
    tab_to(page, MESSAGE_INPUT)

    final = _drive(page, turn, bestuur_naam)
    promised = final["loopbaangesprek"]["beloofd_contact_op"]
    confirm = page.locator(".loket-msg-confirm")
    assert confirm.locator("h3").inner_text() == "Je aanvraag is verstuurd"
    if promised:
        assert "Je hoort uiterlijk" in confirm.inner_text()
    assert not axe_serious(page), "axe: serious problems on the confirmation"
    with live_server.app.state.ctx.sessions() as db:
        gesprek = db.scalars(select(Loopbaangesprek).where(Loopbaangesprek.email == TYPED["email"])).one()
        assert (gesprek.id, gesprek.bestuur_id, gesprek.naam) == (
            final["loopbaangesprek"]["id"], bestuur_id, TYPED["naam"])
        assert "leiderschap" in gesprek.tags

    # Afterwards the confirmation offers the brede intake.
    tab_to(page, ".loket-msg-confirm .loket-reply", backwards=True)
    with page.expect_response(is_api("/api/v1/intake")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    assert info.value.json()["expecting"]["kind"] == "consent"
    assert page.locator(".loket-flow-switch").is_visible()


def test_data_flow_attribute_opens_the_loopbaangesprek(desktop, live_server) -> None:  # type: ignore[no-untyped-def]
    page, watch = desktop
    base = live_server.url
    host = (f'<!doctype html><html lang="nl"><head><title>School</title></head><body><main><h1>School</h1>'
            f'</main><script src="{base}/widget.js" data-loket-base="{base}" data-flow="loopbaangesprek">'
            f'</script></body></html>')
    page.route(base + "/school-site", lambda route: route.fulfill(status=200, content_type="text/html", body=host))
    page.goto(base + "/school-site")
    page.wait_for_selector(".loket-launcher")
    tab_to(page, ".loket-launcher")
    with page.expect_response(is_api("/api/v1/loopbaangesprek/chat")) as info:
        page.keyboard.press("Enter")
    wait_idle(page)
    assert info.value.json()["flow"] == "loopbaangesprek"
    assert page.locator(".loket-flow-switch").is_hidden()
    assert page.locator(".loket-replies .loket-reply").count() >= 1
