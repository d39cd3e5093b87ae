"""Pages in headless Chromium for the browser tests, on the live server of tests/conftest.py.

The server is the real app on a free 127.0.0.1 port with the demo region seeded, so the widget talks to the
real intake API. Every request the page makes to anything but that server is aborted: the tests never use
the network, and axe-core comes from ``vendor/``. The ``browser`` and ``live_server`` fixtures live in
tests/conftest.py so that every folder shares one Chromium (two sync Playwrights cannot run at once).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import LiveServer

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class PageWatch:
    """What a page did that a test must see: script errors, failed requests, native dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def open_context(
    browser: Any, live_server: LiveServer, viewport: dict[str, int], **options: Any
) -> tuple[Any, Any, PageWatch]:
    """A fresh browser context (empty localStorage) whose page may only reach the live server."""
    # bypass_csp: the widget must be safe on host sites without a CSP, and axe is injected as inline script.
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="nl-NL", **options)
    watch = PageWatch()

    def only_live_server(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            watch.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))

    def on_console(msg: Any) -> None:
        # An expected 4xx answer (a wrong resume code) is logged by Chromium itself; that is no script error.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            watch.errors.append(msg.text)

    page.on("console", on_console)

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, page, watch


@pytest.fixture
def desktop(browser: Any, live_server: LiveServer) -> Iterator[tuple[Any, PageWatch]]:
    context, page, watch = open_context(browser, live_server, DESKTOP)
    yield page, watch
    context.close()
    assert watch.errors == [], f"script errors on the page: {watch.errors}"
    assert watch.blocked == [], f"the page tried to reach the network: {watch.blocked}"
