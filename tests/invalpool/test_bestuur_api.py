"""The bestuur API: a key per bestuur (shown once, stored hashed, revoked at once), the vervangingsvragen
endpoints with that key (own schools and vragen only: another bestuur's are 404), idempotent POSTs, limits
per key, every call in the audit log with the key's name, and signed callbacks through the outbox that are
retried while the receiver is down. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from loket import clock
from loket.audit.models import AuditEvent
from loket.bestuur import koppeling
from loket.bestuur.models import BestuurApiSleutel
from loket.db import make_engine, make_sessionmaker, transaction
from loket.outbox.models import OutboxBericht
from loket.outbox.service import deliver_due
from loket.vervangingsvraag import flows
from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag
from tests.invalpool.world import FRIDAY, TOMORROW, add_invaller, seed
from tests.servers import free_port

VRAAG = {"school_id": "school-a1", "datum_van": TOMORROW.isoformat(), "datum_tot": FRIDAY.isoformat(),
         "dagdelen": ["ochtend", "middag"], "groepen": ["3-4"], "vereist": "po_bevoegdheid",
         "notities": "Juf Anna is ziek."}


@pytest.fixture
def world(app, frozen_clock):  # type: ignore[no-untyped-def]
    seed(app.state.ctx.sessions)
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "inv-1", naam="Anna de Vries", telefoon="06 11111111")
        add_invaller(db, "inv-2", naam="Bram Jansen")
    return app


def _key(app, bestuur_id: str = "bestuur-a", naam: str = "AFAS") -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    with transaction(app.state.ctx.sessions) as db:
        row, key = koppeling.create_key(db_session=db, bestuur_id=bestuur_id, naam=naam, actor="test")
        return row.id, {"Authorization": f"Bearer {key}"}


def _post(client: TestClient, auth: dict[str, str], body: dict[str, Any] | None = None, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/vervangingsvragen", json=body or VRAAG, headers={**auth, **headers})


def test_a_key_posts_lists_gets_changes_and_cancels_its_own_vraag(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, auth = _key(world)
    scholen = client.get("/api/v1/scholen", headers=auth).json()["scholen"]
    assert sorted(s["id"] for s in scholen) == ["school-a1", "school-a2"]

    created = _post(client, auth)
    assert created.status_code == 201, created.text
    vraag = created.json()
    assert vraag["status"] == "aangeboden" and vraag["aanbiedingen"]["verstuurd"] == 2  # same dispatch as the form
    listed = client.get("/api/v1/vervangingsvragen", headers=auth, params={"status": "aangeboden"}).json()["vragen"]
    assert [v["id"] for v in listed] == [vraag["id"]]
    assert client.get("/api/v1/vervangingsvragen", headers=auth, params={"school_id": "school-a2"}).json() == \
        {"vragen": []}
    assert client.get("/api/v1/vervangingsvragen", headers=auth,
                      params={"van": (FRIDAY + timedelta(days=7)).isoformat()}).json() == {"vragen": []}
    got = client.get(f"/api/v1/vervangingsvragen/{vraag['id']}", headers=auth).json()
    assert got["notities"] == "Juf Anna is ziek."

    changed = client.patch(f"/api/v1/vervangingsvragen/{vraag['id']}", json={"notities": "Lokaal 12."}, headers=auth)
    assert changed.status_code == 200 and changed.json()["notities"] == "Lokaal 12."
    cancelled = client.post(f"/api/v1/vervangingsvragen/{vraag['id']}/annuleren", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "geannuleerd"


def test_once_assigned_the_vraag_shows_the_invaller_and_how_to_reach_them(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, auth = _key(world)
    vraag = _post(client, auth).json()
    links = flows.Links.from_settings(world.state.ctx.settings)
    with transaction(world.state.ctx.sessions) as db:
        aanbod = db.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag["id"], Aanbod.invaller_id == "inv-1"))
        assert flows.accept_offer(db_session=db, links=links, aanbod_id=aanbod.id, invaller_id="inv-1").won
    got = client.get(f"/api/v1/vervangingsvragen/{vraag['id']}", headers=auth).json()
    assert got["status"] == "toegewezen"
    assert got["invaller_contact"] == {"naam": "Anna de Vries", "email": "inv-1@example.org",
                                       "telefoon": "06 11111111"}


def test_another_bestuurs_key_never_sees_or_changes_a_vraag_or_school(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, auth_a = _key(world, "bestuur-a")
    _, auth_b = _key(world, "bestuur-b", "Eigen rooster")
    vraag_id = _post(client, auth_a).json()["id"]
    for method, path, body in [
        ("GET", f"/api/v1/vervangingsvragen/{vraag_id}", None),
        ("PATCH", f"/api/v1/vervangingsvragen/{vraag_id}", {"notities": "x"}),
        ("POST", f"/api/v1/vervangingsvragen/{vraag_id}/annuleren", None),
        ("POST", f"/api/v1/vervangingsvragen/{vraag_id}/toewijzing-intrekken", None),
        ("GET", f"/api/v1/vervangingsvragen/{vraag_id}/kandidaten", None),
    ]:
        response = client.request(method, path, json=body, headers=auth_b)
        assert response.status_code == 404, (method, path, response.text)
        assert vraag_id not in response.text
    assert client.get("/api/v1/vervangingsvragen", headers=auth_b).json() == {"vragen": []}
    assert "school-a1" not in client.get("/api/v1/scholen", headers=auth_b).text
    other_school = _post(client, auth_b)  # school-a1 is bestuur A's
    assert other_school.status_code == 422 and "school" in other_school.json()["detail"].lower()
    with world.state.ctx.sessions() as db:
        vraag = db.get(Vervangingsvraag, vraag_id)
        assert vraag is not None and vraag.status == "open" and vraag.notities == "Juf Anna is ziek."


def test_missing_wrong_and_revoked_keys_are_401(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    sleutel_id, auth = _key(world)
    assert client.get("/api/v1/scholen").status_code == 401
    wrong = client.get("/api/v1/scholen", headers={"Authorization": "Bearer lkb_000000000000_nope"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "api_key_invalid"
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/scholen", headers=auth).status_code == 200
    with transaction(world.state.ctx.sessions) as db:
        koppeling.revoke_key(db_session=db, bestuur_id="bestuur-a", sleutel_id=sleutel_id, actor="test")
        assert db.get(BestuurApiSleutel, sleutel_id).laatst_gebruikt_at is not None  # last use shown
    assert client.get("/api/v1/scholen", headers=auth).status_code == 401  # at once
    assert _post(client, auth).status_code == 401


def test_a_retried_post_with_the_same_idempotency_key_creates_one_vraag(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    _, auth = _key(world)
    first = _post(client, auth, **{"Idempotency-Key": "afas-4711"})
    again = _post(client, auth, **{"Idempotency-Key": "afas-4711"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and again.headers["idempotent-replayed"] == "true"
    other = _post(client, auth, {**VRAAG, "notities": "iets anders"}, **{"Idempotency-Key": "afas-4711"})
    assert other.status_code == 409
    assert _post(client, auth, **{"Idempotency-Key": "afas-4712"}).json()["id"] != first.json()["id"]
    with world.state.ctx.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Vervangingsvraag)) == 2


def test_every_call_is_in_the_audit_log_with_the_keys_name(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    sleutel_id, auth = _key(world, naam="Rooster-koppeling")
    _post(client, auth)
    client.get("/api/v1/vervangingsvragen", headers=auth)
    with world.state.ctx.sessions() as db:
        actors = db.scalars(select(AuditEvent.actor).where(AuditEvent.action == "api.call")).all()
        created = db.scalar(select(AuditEvent.actor).where(AuditEvent.action == "vervangingsvraag.create"))
    assert actors == [f"api-sleutel:Rooster-koppeling:{sleutel_id}"] * 2
    assert created == f"api-sleutel:Rooster-koppeling:{sleutel_id}"


def test_a_key_over_its_limit_gets_429_with_retry_after(settings, knowledge, clean_db, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    from loket.app import create_app

    app = create_app(settings.model_copy(update={"rate_limit_api_key": "3/minute"}), knowledge=knowledge)
    with TestClient(app) as client:
        seed(app.state.ctx.sessions)
        _, auth = _key(app)
        codes = [client.get("/api/v1/scholen", headers=auth).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/scholen", headers=auth)
        assert int(limited.headers["retry-after"]) >= 1


def test_the_cli_prints_the_new_key_as_its_last_line_and_nothing_secret_elsewhere(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from loket.cli import app as cli

    url = world.state.ctx.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("LOKET_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["bestuur", "api-key", "create", "bestuur-a", "--naam", "AFAS"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    key = lines[-1]
    assert key.startswith("lkb_") and all(key not in line for line in lines[:-1])
    listed = CliRunner().invoke(cli, ["bestuur", "api-key", "list", "bestuur-a"])
    assert "AFAS" in listed.output and key not in listed.output
    unknown = CliRunner().invoke(cli, ["bestuur", "api-key", "create", "bestuur-x", "--naam", "X"])
    assert unknown.exit_code == 2 and "bestuur-x" in unknown.output


class _Receiver:
    """A local HTTPS-less receiver (http on 127.0.0.1 is allowed for tests and local receivers)."""

    def __init__(self, port: int) -> None:
        self.port, self.received, self.server = port, [], None

    def start(self) -> None:
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def test_callbacks_are_signed_retried_while_the_receiver_is_down_and_delivered_once_it_is_up(
        world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    ctx = world.state.ctx
    koppeling.ensure_webhook_sender()
    receiver = _Receiver(free_port())
    with transaction(ctx.sessions) as db:
        _, secret = koppeling.set_callback(db_session=db, bestuur_id="bestuur-a",
                                           url=f"http://127.0.0.1:{receiver.port}/loket", actor="test")
    _, auth = _key(world)
    vraag_id = _post(client, auth).json()["id"]  # open -> aangeboden: one callback
    deliver_due(ctx)  # the receiver is down
    with ctx.sessions() as db:
        (message,) = db.scalars(select(OutboxBericht).where(OutboxBericht.channel == "webhook")).all()
        assert message.status == "queued" and message.attempts == 1 and message.last_error
        assert message.next_attempt_at > clock.now()  # backoff
    receiver.start()
    try:
        with transaction(ctx.sessions) as db:
            db.execute(update(OutboxBericht).values(next_attempt_at=clock.now()))
        deliver_due(ctx)
        assert len(receiver.received) == 1
        headers, body = receiver.received[0]
        assert koppeling.verify(secret, headers["X-Loket-Timestamp"], body, headers["X-Loket-Signature"],
                                now=float(headers["X-Loket-Timestamp"]))
        assert not koppeling.verify("wrong", headers["X-Loket-Timestamp"], body, headers["X-Loket-Signature"])
        sent = json.loads(body)
        assert sent["event"] == "vervangingsvraag.status" and sent["vraag"]["id"] == vraag_id
        assert sent["vraag"]["status"] == "aangeboden"
        # A change of notes is no status change; a cancel is.
        client.patch(f"/api/v1/vervangingsvragen/{vraag_id}", json={"notities": "Lokaal 12."}, headers=auth)
        client.post(f"/api/v1/vervangingsvragen/{vraag_id}/annuleren", headers=auth)
        deliver_due(ctx)
        assert [json.loads(b)["vraag"]["status"] for _, b in receiver.received] == ["aangeboden", "geannuleerd"]
        with ctx.sessions() as db:
            shown = koppeling.deliveries(db_session=db, bestuur_id="bestuur-a")
            assert [m.status for m in shown] == ["sent", "sent"]
    finally:
        receiver.stop()


def test_a_callback_must_be_https(world) -> None:  # type: ignore[no-untyped-def]
    from loket.errors import LoketError

    with transaction(world.state.ctx.sessions) as db:
        for url in ("http://hr.bestuur.nl/x", "ftp://x", "https://user:pw@x.nl/", "nonsense"):
            with pytest.raises(LoketError):
                koppeling.set_callback(db_session=db, bestuur_id="bestuur-a", url=url, actor="test")
        koppeling.set_callback(db_session=db, bestuur_id="bestuur-a", url="https://hr.bestuur.nl/loket",
                               actor="test")


@pytest.mark.slow
def test_fifty_simultaneous_accepts_of_an_api_made_vraag_give_one_assignment(world, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    with transaction(world.state.ctx.sessions) as db:
        for i in range(50):
            add_invaller(db, f"inv-{i:02d}x", email=None)
    _, auth = _key(world)
    vraag = _post(client, auth, {**VRAAG, "urgentie": "zelfde_dag"}).json()  # same day: everyone at once
    engine = make_engine(world.state.ctx.engine.url.render_as_string(hide_password=False), pool_size=55,
                         max_overflow=5)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as db:
            offers = [(a.id, a.invaller_id) for a in db.scalars(select(Aanbod).where(Aanbod.vraag_id == vraag["id"]))]
        assert len(offers) >= 50
        offers = offers[:50]
        links = flows.Links.from_settings(world.state.ctx.settings)
        barrier = threading.Barrier(len(offers))

        def one(pair: tuple[str, str]) -> str:
            barrier.wait(timeout=30)
            with transaction(sessions) as db:
                return flows.accept_offer(db_session=db, links=links, aanbod_id=pair[0], invaller_id=pair[1]).outcome

        with ThreadPoolExecutor(max_workers=len(offers)) as pool:
            outcomes = list(pool.map(one, offers))
    finally:
        engine.dispose()
    assert outcomes.count("toegewezen") == 1, outcomes
    got = client.get(f"/api/v1/vervangingsvragen/{vraag['id']}", headers=auth).json()
    assert got["status"] == "toegewezen"


def test_the_bestuur_makes_sees_and_revokes_keys_and_sets_its_callback_in_its_page(world) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts import login, make_account

    _, email, password = make_account(world, "bestuur", bestuur_id="bestuur-a")
    with TestClient(world, headers={"accept": "text/html"}) as browser:
        csrf = login(browser, email, password)
        assert "Koppeling met je eigen systemen" in browser.get("/bestuur").text
        made = browser.post("/bestuur/koppeling/sleutels", data={"csrf_token": csrf, "naam": "AFAS"})
        assert made.status_code == 200
        key = made.text.split('<code id="nieuwe-sleutel">')[1].split("</code>")[0]
        assert key.startswith("lkb_")
        page = browser.get("/bestuur/koppeling").text
        assert "AFAS" in page and key not in page and key[:16] in page  # shown once; then only its start
        api = TestClient(world)
        auth = {"Authorization": f"Bearer {key}"}
        assert api.get("/api/v1/scholen", headers=auth).status_code == 200
        assert "nog niet" not in browser.get("/bestuur/koppeling").text.split("Sleutels van dit bestuur")[1] \
            .split("</table>")[0]  # last use shown
        with world.state.ctx.sessions() as db:
            sleutel_id = db.scalar(select(BestuurApiSleutel.id).where(BestuurApiSleutel.naam == "AFAS"))
        revoked = browser.post(f"/bestuur/koppeling/sleutels/{sleutel_id}/intrekken", data={"csrf_token": csrf},
                               follow_redirects=False)
        assert revoked.status_code == 303
        assert api.get("/api/v1/scholen", headers=auth).status_code == 401
        bad = browser.post("/bestuur/koppeling/callback", data={"csrf_token": csrf, "url": "http://hr.nl/x"})
        assert bad.status_code == 422 and "https" in bad.text
        good = browser.post("/bestuur/koppeling/callback", data={"csrf_token": csrf, "url": "https://hr.nl/loket"})
        assert good.status_code == 200 and 'id="nieuw-geheim">whsec_' in good.text
        # Another bestuur's account cannot touch bestuur A's keys.
        _, email_b, password_b = make_account(world, "bestuur", bestuur_id="bestuur-b")
    with TestClient(world, headers={"accept": "text/html"}) as other:
        csrf_b = login(other, email_b, password_b)
        assert "<th scope=\"row\">AFAS</th>" not in other.get("/bestuur/koppeling?bestuur=bestuur-a").text
        assert other.post(f"/bestuur/koppeling/sleutels/{sleutel_id}/intrekken",
                          data={"csrf_token": csrf_b}).status_code == 404
