"""The service as real processes: a crash in the middle of an intake, several processes on one database,
one scheduler leader, and a database that goes away and comes back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.servers import Server
from tests.service.intake_driver import run_to_done


@pytest.fixture
def servers(database_url: str, clean_db, tmp_path: Path) -> Iterator[Callable[..., Server]]:  # type: ignore[no-untyped-def]
    started: list[Server] = []

    def make(**settings: str) -> Server:
        server = Server(database_url, tmp_path / "data", **settings)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


class Person:
    """One person's intake over HTTP, against whichever server is given per call."""

    def __init__(self, server: Server) -> None:
        body = httpx.post(server.url + "/api/v1/intake", json={"channel": "web"}, timeout=30).json()
        self.id, self.token, self.first = body["session_id"], body["token"], body

    def say(self, server: Server, text: str, mid: str | None = None) -> dict[str, Any]:
        response = httpx.post(f"{server.url}/api/v1/intake/{self.id}/messages",
                              json={"text": text, "client_message_id": mid},
                              headers={"Authorization": f"Bearer {self.token}"}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, server: Server, path: str = "") -> dict[str, Any]:
        return httpx.get(f"{server.url}/api/v1/intake/{self.id}{path}",
                         headers={"Authorization": f"Bearer {self.token}"}, timeout=30).json()


def test_kill_9_in_the_middle_of_an_intake_loses_nothing(servers) -> None:  # type: ignore[no-untyped-def]
    first = servers().start()
    person = Person(first)
    person.say(first, "ja", "m1")
    answered = person.say(first, "ik ben 35 jaar en woon in Utrecht", "m2")
    first.kill()

    second = servers().start()
    turn = person.get(second, "/turn")
    assert turn["expecting"] == answered["expecting"]
    assert person.get(second)["profile"]["age"] == 35
    # The client did not see the answer to m2 and sends it again: it is applied once, same answer.
    assert person.say(second, "ik ben 35 jaar en woon in Utrecht", "m2")["expecting"] == answered["expecting"]
    turns = run_to_done(lambda text: person.say(second, text), turn)
    assert turns[-1]["done"] and turns[-1]["advice"]["routes"]


def test_two_processes_serve_one_conversation_in_order(servers) -> None:  # type: ignore[no-untyped-def]
    a, b = servers().start(), servers().start()
    person = Person(a)
    person.say(b, "ja")
    results: list[int] = []

    def send(server: Server, text: str) -> None:
        results.append(len(person.say(server, text)["messages"]))

    threads = [threading.Thread(target=send, args=(a, "ik ben 35 jaar")),
               threading.Thread(target=send, args=(b, "ik woon in Amersfoort"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
    profile = person.get(a)["profile"]
    assert profile["age"] == 35 and profile["place"] == "Amersfoort"  # no update lost across processes
    servers_cycle = iter([a, b] * 50)
    turns = run_to_done(lambda text: person.say(next(servers_cycle), text), person.get(b, "/turn"))
    assert turns[-1]["done"]


def _roles(*servers: Server) -> list[str]:
    return [httpx.get(s.url + "/readyz", timeout=10).json()["checks"]["scheduler"] for s in servers]


@pytest.mark.postgres
def test_one_scheduler_leader_and_takeover(servers) -> None:  # type: ignore[no-untyped-def]
    a = servers(scheduler="true", scheduler_retry_seconds="0.5").start()
    b = servers(scheduler="true", scheduler_retry_seconds="0.5").start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sorted(_roles(a, b)) != ["leader", "standby"]:
        time.sleep(0.2)
    roles = _roles(a, b)
    assert sorted(roles) == ["leader", "standby"], roles
    leader, standby = (a, b) if roles[0] == "leader" else (b, a)
    leader.kill()  # its connection dies, and with it the advisory lock
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _roles(standby) != ["leader"]:
        time.sleep(0.2)
    assert _roles(standby) == ["leader"]


def test_database_gone_gives_503_and_recovers(app, client) -> None:  # type: ignore[no-untyped-def]
    from loket.db import make_engine, make_sessionmaker
    from tests.service.test_intake_api import Chat

    chat = Chat(client)
    chat.say("ja")
    ctx = app.state.ctx
    good_engine, good_sessions = ctx.engine, ctx.sessions
    gone = make_engine("sqlite:////nonexistent-dir/loket.sqlite3" if good_engine.dialect.name == "sqlite"
                       else "postgresql+psycopg://postgres@127.0.0.1:1/none")
    ctx.engine, ctx.sessions = gone, make_sessionmaker(gone)
    try:
        response = client.post(f"/api/v1/intake/{chat.id}/messages", json={"text": "ik ben 35"}, headers=chat.auth)
        assert response.status_code == 503
        assert "niet bereikbaar" in response.json()["detail"] and response.headers["retry-after"]
    finally:
        gone.dispose()
        ctx.engine, ctx.sessions = good_engine, good_sessions
    assert chat.say("ik ben 35 jaar")["session_id"] == chat.id  # back, with nothing lost


@pytest.mark.postgres
def test_postgres_outage_through_a_proxy(settings, knowledge, clean_db, database_url) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from loket.app import create_app
    from tests.service.test_intake_api import Chat
    from tests.tcpproxy import TcpProxy

    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    with TestClient(create_app(settings.model_copy(update={"database_url": proxied}), knowledge=knowledge)) as client:
        chat = Chat(client)
        chat.say("ja")
        proxy.cut()
        response = client.post(f"/api/v1/intake/{chat.id}/messages", json={"text": "ik ben 35 jaar"},
                               headers=chat.auth)
        assert response.status_code == 503
        assert client.get("/readyz").status_code == 503
        proxy.restore()
        assert client.get("/readyz").status_code == 200
        assert chat.say("ik ben 35 jaar")["session_id"] == chat.id
        assert client.get(f"/api/v1/intake/{chat.id}", headers=chat.auth).json()["profile"]["age"] == 35
    proxy.cut()
