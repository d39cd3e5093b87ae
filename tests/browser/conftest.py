"""A live loket server (uvicorn in a thread) and headless Chromium for the widget's browser tests.

The server is the real app on a free 127.0.0.1 port with the demo region seeded, so the widget talks to the
real intake API. Every request the page makes to anything but that server is aborted: the tests never use
the network, and axe-core comes from ``vendor/``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.components import CHROMIUM_ARGS, chromium_path

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class LiveServer:
    url: str
    app: Any


@pytest.fixture
def live_server(settings, knowledge, clean_db: Engine) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    import uvicorn

    from loket import clock
    from loket.app import create_app
    from loket.db import make_sessionmaker, transaction
    from loket.demo import generate, seed

    with transaction(make_sessionmaker(clean_db)) as db:
        seed(db, generate(knowledge.region, today=clock.now().date()))
    app = create_app(settings, knowledge=knowledge)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # port 0: the OS picks a free one, and we keep the socket so nobody takes it
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    app.state.ctx.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


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
