"""End to end in a real browser: a bestuur posts a vraag with the web form, loket mails the offer through a
local SMTP server, and the invaller accepts it from the link in that mail."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from loket.db import transaction
from tests.accounts import make_account
from tests.browser.driver import axe_serious
from tests.components import CHROMIUM_ARGS, chromium_path
from tests.invalpool.world import TOMORROW, add_invaller, seed

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server(settings, knowledge, clean_db, smtp_server, frozen_clock) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    """A live loket (uvicorn in a thread) whose mail goes to the local SMTP server and whose links point at it."""
    import uvicorn

    from loket.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = create_app(settings.model_copy(update={**smtp_server.settings_overrides, "base_url": url}),
                     knowledge=knowledge)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield url, app
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    app.state.ctx.engine.dispose()


def in_own_thread(work: Callable[[], None], timeout: float = 180) -> None:
    """Run ``work`` in a thread of its own. Playwright's sync API refuses to start a second time in a thread
    whose event loop another session-wide Playwright (tests/browser) keeps running; a fresh thread has none."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread below
            failure.append(exc)

    thread = threading.Thread(target=run, name="invalpool-browser", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError("the browser part of the test did not finish")
    if failure:
        raise failure[0]


def _context(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    # bypass_csp only so that axe-core can be injected; the pages themselves run under the real CSP headers.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL", bypass_csp=True)
    errors: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def test_bestuur_posts_in_the_browser_and_invaller_accepts_from_the_mail(mail_server, smtp_server) -> None:  # type: ignore[no-untyped-def]
    url, app = mail_server
    executable = chromium_path()
    seed(app.state.ctx.sessions)
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "inv-mail", naam="Fleur Visser", email="fleur@example.org")
    _, email, password = make_account(app, "bestuur", bestuur_id="bestuur-a")
    from loket.outbox.scheduled import deliver_due

    def drive() -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                _bestuur_posts(browser, url, email, password)
                deliver_due(app.state.ctx)
                offers = [m for m in smtp_server.messages if m["To"] == "fleur@example.org"]
                assert len(offers) == 1
                body = offers[0].get_body(preferencelist=("plain",)).get_content()
                assert "Groep 4 heeft gym om 10 uur." in body
                link = re.search(r"(http://127\.0\.0\.1:\d+/aanbod/\S+)", body).group(1)
                _invaller_accepts(browser, url, link)
            finally:
                browser.close()

    in_own_thread(drive)
    deliver_due(app.state.ctx)
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert any(s.startswith("Bevestiging") for s in subjects)  # to the invaller
    assert any(s.startswith("Invaller gevonden") for s in subjects)  # to the bestuur account


def _bestuur_posts(browser: Any, url: str, email: str, password: str) -> None:
    context, page, errors = _context(browser, url)
    try:
        page.goto(url + "/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.keyboard.press("Enter")
        page.wait_for_url(url + "/bestuur")
        page.get_by_role("link", name="Nieuwe vervangingsvraag").click()
        page.wait_for_url(url + "/bestuur/vragen/nieuw")
        assert axe_serious(page) == []
        page.select_option("#school_id", "school-a1")
        page.fill("#datum_van", TOMORROW.isoformat())
        page.get_by_label("Groep 3-4").check()
        page.fill("#notities", "Groep 4 heeft gym om 10 uur.")
        page.get_by_role("button", name="Vraag versturen").click()
        page.wait_for_url(re.compile(r".*/bestuur/vragen/[0-9a-f]{32}$"))
        assert "We zoeken een invaller" in page.inner_text("#vraag-status")
        assert "Fleur Visser" in page.content()
        page.goto(url + "/bestuur")
        assert "OBS De Regenboog" in page.content()
        assert axe_serious(page) == []
    finally:
        context.close()
    assert errors == []


def _invaller_accepts(browser: Any, url: str, link: str) -> None:
    context, page, errors = _context(browser, url)  # the invaller: no account, a browser of their own
    try:
        page.goto(link)
        assert "OBS De Regenboog" in page.inner_text("h1")
        assert axe_serious(page) == []
        page.get_by_role("button", name="Ja, ik neem het").click()
        page.wait_for_selector("#uitkomst")
        assert "Je hebt het werk!" in page.inner_text("#uitkomst")
        page.get_by_role("link", name=re.compile("Naar je eigen pagina")).click()
        page.wait_for_selector("h1")
        assert "Hallo Fleur Visser" in page.inner_text("h1")
        assert "OBS De Regenboog" in page.content()
        assert axe_serious(page) == []
    finally:
        context.close()
    assert errors == []
