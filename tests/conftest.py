"""Shared fixtures: one migrated database per test run (SQLite file, or a fresh PostgreSQL schema).

Set LOKET_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the suite on
PostgreSQL; each run gets its own schema, dropped at the end, so runs never see each other's data.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from loket.db import make_engine
from loket.migrate import upgrade
from loket.models import Base
from tests.components import CHROMIUM_ARGS, chromium_path, missing

PG_ENV = "LOKET_TEST_DATABASE_URL"


def _postgres_schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def make_test_database(tmp_dir: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    """A fresh, empty database URL for this run and a function that removes it afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}", lambda: None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means the component is absent
        admin.dispose()
        missing(f"PostgreSQL at {make_url(base).render_as_string(hide_password=True)} not reachable: {exc}")

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    return _postgres_schema_url(base, schema), drop


@pytest.fixture(scope="session")
def knowledge():  # type: ignore[no-untyped-def]
    # Imported here so that tests of one knowledge part run while another part is still being written.
    from knowledge.loader import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = make_test_database(tmp_path_factory.mktemp("db"))
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop()


@pytest.fixture(scope="session")
def db_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def clear_tables(engine: Engine) -> None:
    """Delete every row (children first), keeping the schema."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def clean_db(db_engine: Engine) -> Engine:
    clear_tables(db_engine)
    return db_engine


@pytest.fixture
def settings(tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    from loket.settings import load_settings

    return load_settings(env="test", data_dir=tmp_path / "data", database_url=database_url, scheduler=False,
                         # Tests drive intakes at machine speed; tests/service/test_protection.py checks the limits.
                         rate_limit_session="600/minute", rate_limit_ip="6000/minute", rate_limit_start="600/minute",
                         rate_limit_resume="600/minute",
                         secret_key="test-secret-key-test-secret-key-0123456789")


@pytest.fixture
def app(settings, knowledge, clean_db: Engine):  # type: ignore[no-untyped-def]
    from loket.app import create_app

    application = create_app(settings, knowledge=knowledge)
    yield application
    application.state.ctx.engine.dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c



def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    """In CI a skipped test is a failure: every component must be present there."""
    if os.environ.get("LOKET_REQUIRE_COMPONENTS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI nothing may be skipped.", red=True)
        session.exitstatus = 1


@pytest.fixture
def frozen_clock():  # type: ignore[no-untyped-def]
    """Install a controllable clock (Wednesday 25 November 2026, 09:00 UTC) for the test."""
    from datetime import UTC, datetime

    from loket import clock

    frozen = clock.FrozenClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    previous = clock.install(frozen)
    yield frozen
    clock.install(previous)


@pytest.fixture
def smtp_server():  # type: ignore[no-untyped-def]
    """A real local SMTP server (aiosmtpd) on a free port; ``.messages`` holds what it received."""
    from tests.mailbox import LocalSmtp

    server = LocalSmtp()
    server.start()
    yield server
    server.stop()


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Tests marked ``postgres`` run only in the PostgreSQL run; elsewhere they are deselected, not skipped."""
    if os.environ.get(PG_ENV):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --- a live server and headless Chromium, shared by every folder's browser tests ----------------------


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


