"""The invalpool over HTTP: bestuur pages and API (scoped to the own bestuur), invaller links (own offers
only; forged and expired links get a clear Dutch page), the planning page and the figures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.auth.deps import hash_api_token, new_api_token
from loket.auth.links import sign
from loket.db import transaction
from loket.medewerker.models import Medewerker
from loket.outbox.models import OutboxBericht
from loket.vervangingsvraag import flows
from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag
from tests.accounts import login, make_account
from tests.invalpool.world import FRIDAY, TOMORROW, add_invaller, seed

FORM = {"school_id": "school-a1", "datum_van": TOMORROW.isoformat(), "dagdelen": ["ochtend", "middag"],
        "groepen": ["3-4"], "vereist": "po_bevoegdheid", "urgentie": "zelfde_dag", "notities": "Groep 4 <b>lief</b>"}


@pytest.fixture
def world(app, client, frozen_clock):  # type: ignore[no-untyped-def]
    seed(app.state.ctx.sessions)
    with transaction(app.state.ctx.sessions) as db:
        add_invaller(db, "inv-1", naam="Anna de Vries")
        add_invaller(db, "inv-2", naam="Bram Jansen")
    return app


def _bestuur_client(app, client, bestuur_id: str = "bestuur-a") -> str:  # type: ignore[no-untyped-def]
    _, email, password = make_account(app, "bestuur", bestuur_id=bestuur_id)
    return login(client, email, password)


def _offer_tokens(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """invaller id -> the per-offer token from the mail they got."""
    with app.state.ctx.sessions() as db:
        mails = db.scalars(select(OutboxBericht).where(OutboxBericht.channel == "email")).all()
    out = {}
    for m in mails:
        found = re.search(r"/aanbod/([A-Za-z0-9_.\-]+)", m.body)
        if found:
            out[m.recipient.split("@")[0]] = found.group(1)
    return out


def test_bestuur_posts_a_vraag_with_the_form_and_sees_it(world, client) -> None:  # type: ignore[no-untyped-def]
    csrf = _bestuur_client(world, client)
    page = client.get("/bestuur/vragen/nieuw")
    assert page.status_code == 200 and "OBS De Regenboog" in page.text and "KBS De Ster" not in page.text
    response = client.post("/bestuur/vragen", data={**FORM, "csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    detail = client.get(response.headers["location"])
    assert "We zoeken een invaller" in detail.text and "Anna de Vries" in detail.text
    assert "&lt;b&gt;lief&lt;/b&gt;" in detail.text  # people's text is escaped
    status = client.get("/bestuur/vragen/status").json()["vragen"]
    assert [v["status"] for v in status] == ["open"]
    home = client.get("/bestuur")
    assert "OBS De Regenboog" in home.text and 'data-status="' in home.text


def test_form_errors_are_shown_in_dutch_and_nothing_is_stored(world, client) -> None:  # type: ignore[no-untyped-def]
    csrf = _bestuur_client(world, client)
    bad = {**FORM, "datum_van": "gisteren", "dagdelen": [], "groepen": ["9-10"], "csrf_token": csrf}
    page = client.post("/bestuur/vragen", data=bad)
    assert page.status_code == 422 and 'role="alert"' in page.text
    assert "Vul een geldige eerste dag in" in page.text and "Kies de ochtend, de middag" in page.text
    other_school = client.post("/bestuur/vragen", data={**FORM, "school_id": "school-b1", "csrf_token": csrf})
    assert other_school.status_code == 422 and "Kies een school van je eigen bestuur" in other_school.text
    past = client.post("/bestuur/vragen", data={**FORM, "datum_van": "2026-11-20", "csrf_token": csrf})
    assert past.status_code == 422 and "in het verleden" in past.text
    huge = client.post("/bestuur/vragen", data={**FORM, "notities": "x" * 5000, "csrf_token": csrf})
    assert huge.status_code == 422
    no_csrf = client.post("/bestuur/vragen", data=FORM)
    assert no_csrf.status_code == 403
    with world.state.ctx.sessions() as db:
        assert db.scalars(select(Vervangingsvraag)).all() == []


def test_a_bestuur_sees_only_its_own_vragen(world, client) -> None:  # type: ignore[no-untyped-def]
    with transaction(world.state.ctx.sessions) as db:
        other = Vervangingsvraag(school_id="school-b1", bestuur_id="bestuur-b", datum_van=TOMORROW,
                                 datum_tot=TOMORROW, notities="geheim van B")
        db.add(other)
        db.flush()
        other_id = other.id
    csrf = _bestuur_client(world, client)
    assert client.get(f"/bestuur/vragen/{other_id}").status_code == 404
    assert "geheim van B" not in client.get("/bestuur").text
    assert client.get(f"/api/v1/vervangingsvragen/{other_id}").status_code == 404
    assert client.get("/api/v1/vervangingsvragen").json() == {"vragen": []}
    headers = {"X-CSRF-Token": csrf}
    assert client.post(f"/api/v1/vervangingsvragen/{other_id}/annuleren", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/vervangingsvragen/{other_id}", json={"notities": "x"},
                        headers=headers).status_code == 404
    assert client.post(f"/bestuur/vragen/{other_id}/annuleren", data={"csrf_token": csrf}).status_code == 404
    assert client.get(f"/api/v1/vervangingsvragen/{other_id}/kandidaten").status_code == 404
    assert client.get("/api/v1/invalpool/cijfers?bestuur=bestuur-b").status_code == 404
    # A coach may not see vragen at all; no login: a page redirects, the API answers 401.
    client.post("/logout", data={"csrf_token": csrf})
    assert client.get("/api/v1/vervangingsvragen").status_code == 401
    assert client.get("/bestuur", headers={"accept": "text/html"}, follow_redirects=False).status_code == 303
    _, email, password = make_account(world, "coach")
    login(client, email, password)
    assert client.get("/api/v1/vervangingsvragen").status_code == 403


def test_api_with_a_bearer_token_and_json_errors(world, client) -> None:  # type: ignore[no-untyped-def]
    account_id, _, _ = make_account(world, "bestuur", bestuur_id="bestuur-a")
    token = new_api_token()
    with transaction(world.state.ctx.sessions) as db:
        db.get(Medewerker, account_id).api_token_hash = hash_api_token(token)
    auth = {"Authorization": f"Bearer {token}"}
    body = {"school_id": "school-a1", "datum_van": TOMORROW.isoformat(), "datum_tot": FRIDAY.isoformat(),
            "groepen": ["3-4"], "urgentie": "zelfde_dag"}
    created = client.post("/api/v1/vervangingsvragen", json=body, headers=auth)
    assert created.status_code == 201, created.text
    vraag = created.json()
    assert vraag["status"] == "aangeboden" and vraag["status_intern"] == "open"
    assert vraag["aanbiedingen"]["verstuurd"] == 2
    patched = client.patch(f"/api/v1/vervangingsvragen/{vraag['id']}", json={"notities": "Nieuw"}, headers=auth)
    assert patched.status_code == 200 and patched.json()["notities"] == "Nieuw"
    candidates = client.get(f"/api/v1/vervangingsvragen/{vraag['id']}/kandidaten?invaller=inv-1", headers=auth)
    assert candidates.status_code == 200
    assert {c["invaller_id"] for c in candidates.json()["kandidaten"]} == {"inv-1", "inv-2"}
    assert candidates.json()["uitleg"]["geschikt"] is True
    for bad in ({"school_id": "school-a1"}, {**body, "datum_tot": "2026-11-20"}, {**body, "extra": 1},
                {**body, "vereist": "toverdiploma"}, {**body, "notities": "x" * 3000}):
        answer = client.post("/api/v1/vervangingsvragen", json=bad, headers=auth)
        assert answer.status_code == 422 and answer.json()["code"] == "invalid_input"
    broken = client.post("/api/v1/vervangingsvragen", content=b"{not json", headers={**auth,
                                                                                   "content-type": "application/json"})
    assert broken.status_code == 422 and "kunnen we niet lezen" in broken.json()["detail"]
    assert client.post("/api/v1/vervangingsvragen", json={**body, "school_id": "school-c1"},
                       headers=auth).json()["code"] == "vraag_school_onbekend"
    assert client.get("/api/v1/vervangingsvragen/" + "9" * 40, headers=auth).status_code == 404
    cancelled = client.post(f"/api/v1/vervangingsvragen/{vraag['id']}/annuleren", headers=auth)
    assert cancelled.json()["status"] == "geannuleerd"
    again = client.post(f"/api/v1/vervangingsvragen/{vraag['id']}/annuleren", headers=auth)
    assert again.status_code == 409 and again.json()["code"] == "vraag_niet_wijzigbaar"
    wrong = client.get("/api/v1/vervangingsvragen", headers={"Authorization": "Bearer loket_wrong"})
    assert wrong.status_code == 401


def test_invaller_accepts_from_the_offer_link_and_sees_only_own_offers(world, client) -> None:  # type: ignore[no-untyped-def]
    csrf = _bestuur_client(world, client)
    client.post("/bestuur/vragen", data={**FORM, "csrf_token": csrf})
    tokens = _offer_tokens(world)
    assert set(tokens) == {"inv-1", "inv-2"}
    client.cookies.clear()
    page = client.get(f"/aanbod/{tokens['inv-1']}")
    assert page.status_code == 200 and "Ja, ik neem het" in page.text and "Anna de Vries" not in page.text
    csrf_invaller = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    yes = client.post(f"/aanbod/{tokens['inv-1']}/ja", data={"csrf_token": csrf_invaller})
    assert yes.status_code == 200 and "Je hebt het werk!" in yes.text
    late = client.post(f"/aanbod/{tokens['inv-2']}/ja", data={"csrf_token": csrf_invaller})
    assert late.status_code == 409 and "wachtlijst" in late.text
    # The personal page of inv-2 shows its own (waiting-list) offer and nothing of inv-1's work.
    personal = sign(world.state.ctx.settings.secret(), "invaller", "inv-2")
    mine = client.get(f"/invaller/{personal}")
    assert mine.status_code == 200 and "Hallo Invaller" not in mine.text and "Bram Jansen" in mine.text
    assert "wachtlijst" in mine.text and "Ik kan toch niet" not in mine.text
    with world.state.ctx.sessions() as db:
        vraag_id = db.scalar(select(Vervangingsvraag.id))
    # inv-2 cannot cancel inv-1's assignment with their own link.
    refused = client.post(f"/invaller/{personal}/inzet/{vraag_id}/afzeggen",
                          data={"csrf_token": csrf_invaller})
    assert refused.status_code == 404
    theirs = sign(world.state.ctx.settings.secret(), "invaller", "inv-1")
    assert "Ik kan toch niet" in client.get(f"/invaller/{theirs}").text
    dropped = client.post(f"/invaller/{theirs}/inzet/{vraag_id}/afzeggen", data={"csrf_token": csrf_invaller},
                          follow_redirects=False)
    assert dropped.status_code == 303
    with world.state.ctx.sessions() as db:
        assert db.get(Vervangingsvraag, vraag_id).status == "open"
        assert db.scalar(select(Aanbod.status).where(Aanbod.invaller_id == "inv-2")) == "verstuurd"


@pytest.mark.parametrize("kind", ["aanbod", "invaller"])
def test_forged_and_expired_links_get_a_clear_dutch_page(world, client, frozen_clock, kind) -> None:  # type: ignore[no-untyped-def]
    secret = world.state.ctx.settings.secret()
    with transaction(world.state.ctx.sessions) as db:
        vraag = Vervangingsvraag(school_id="school-a1", bestuur_id="bestuur-a", datum_van=TOMORROW,
                                 datum_tot=TOMORROW)
        db.add(vraag)
        db.flush()
        aanbod = Aanbod(vraag_id=vraag.id, invaller_id="inv-1")
        db.add(aanbod)
        db.flush()
        subject = aanbod.id if kind == "aanbod" else "inv-1"
    path = "/aanbod/" if kind == "aanbod" else "/invaller/"
    good = sign(secret, kind, subject)
    assert client.get(path + good).status_code == 200
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for token in (forged, sign("another-secret-another-secret-123456", kind, subject),
                  sign(secret, "coach", subject), "x" * 5000, "%00"):
        page = client.get(path + token, headers={"accept": "text/html"})
        assert page.status_code in (403, 404), token
        if page.status_code == 403:
            assert "Link werkt niet" in page.text and 'lang="nl"' in page.text
    post = client.post(path + forged + ("/ja" if kind == "aanbod" else "/profiel"), data={})
    assert post.status_code == 403
    import time as _time

    real_time = _time.time
    try:  # itsdangerous reads the wall clock: move it past the link's lifetime
        _time.time = lambda: real_time() + 500 * 24 * 3600  # type: ignore[assignment]
        expired = client.get(path + good)
    finally:
        _time.time = real_time  # type: ignore[assignment]
    assert expired.status_code == 410 and "verlopen" in expired.text


def test_invaller_updates_profile_and_calendar(world, client) -> None:  # type: ignore[no-untyped-def]
    token = sign(world.state.ctx.settings.secret(), "invaller", "inv-1")
    page = client.get(f"/invaller/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    saved = client.post(f"/invaller/{token}/beschikbaarheid", data={
        "csrf_token": csrf, "slot": [f"{FRIDAY.isoformat()}_ochtend", "2026-13-45_middag", "1999-01-01_ochtend"]})
    assert saved.status_code == 200 and "Je agenda is opgeslagen" in saved.text
    profile = client.post(f"/invaller/{token}/profiel", data={
        "csrf_token": csrf, "groepen": ["1-2", "bogus"], "max_afstand_km": "12,5",
        "onbeschikbaar_tot": (TOMORROW + timedelta(days=7)).isoformat()})
    assert profile.status_code == 200
    bad = client.post(f"/invaller/{token}/profiel", data={"csrf_token": csrf, "max_afstand_km": "9999"})
    assert bad.status_code == 422
    from loket.invaller.models import Beschikbaarheid, Invaller

    with world.state.ctx.sessions() as db:
        inv = db.get(Invaller, "inv-1")
        assert inv.groepen == ["1-2"] and inv.max_afstand_km == 12.5 and inv.onbeschikbaar_tot is not None
        rows = db.scalars(select(Beschikbaarheid).where(Beschikbaarheid.invaller_id == "inv-1")).all()
        assert [(r.datum, r.dagdeel) for r in rows] == [(FRIDAY, "ochtend")]


def test_bestuur_approves_invallers_and_keeps_a_preferred_list(world, client) -> None:  # type: ignore[no-untyped-def]
    csrf = _bestuur_client(world, client, "bestuur-b")
    page = client.get("/bestuur/invallers")
    assert page.status_code == 200 and "Anna de Vries" in page.text
    client.post("/bestuur/invallers/inv-1", data={"csrf_token": csrf, "status": "afgewezen"})
    client.post("/bestuur/invallers/inv-1", data={"csrf_token": csrf, "school_id": "school-b1", "voorkeur": "ja"})
    # Another bestuur's school cannot be put on a list (and the bestuur_id field cannot widen the scope).
    other = client.post("/bestuur/invallers/inv-1", data={"csrf_token": csrf, "school_id": "school-a1",
                                                          "voorkeur": "ja", "bestuur_id": "bestuur-a"})
    assert other.status_code == 404
    from loket.invaller import service as invaller_service

    with world.state.ctx.sessions() as db:
        assert invaller_service.approvals(db_session=db, bestuur_id="bestuur-b")["inv-1"] == "afgewezen"
        assert invaller_service.approvals(db_session=db, bestuur_id="bestuur-a")["inv-1"] == "goedgekeurd"
        prefs = invaller_service.school_preferences(db_session=db, school_ids=["school-b1", "school-a1"])
        assert prefs == {"school-b1": {"inv-1"}}


def test_planning_page_proposes_and_confirms(world, client) -> None:  # type: ignore[no-untyped-def]
    with transaction(world.state.ctx.sessions) as db:
        for school in ("school-a1", "school-b1"):
            db.add(Vervangingsvraag(school_id=school, bestuur_id=school.replace("school", "bestuur")[:-1],
                                    datum_van=TOMORROW, datum_tot=TOMORROW))
    _, email, password = make_account(world, "coordinator")
    csrf = login(client, email, password)
    page = client.get(f"/console/invalpool/planning?datum={TOMORROW.isoformat()}")
    assert page.status_code == 200 and page.text.count("(voorstel)") == 2
    choices = dict(re.findall(r'name="(keuze_[0-9a-f]+)">\s*<option value="([^"]+)" selected', page.text))
    assert sorted(choices.values()) == ["inv-1", "inv-2"]
    done = client.post("/console/invalpool/planning", data={**choices, "datum": TOMORROW.isoformat(),
                                                            "csrf_token": csrf})
    assert done.status_code == 200 and done.text.count("ingepland") == 2
    with world.state.ctx.sessions() as db:
        assert sorted(db.scalars(select(Vervangingsvraag.invaller_id)).all()) == ["inv-1", "inv-2"]
    # A bestuur may not plan.
    client.post("/logout", data={"csrf_token": csrf})
    _bestuur_client(world, client)
    assert client.get("/console/invalpool/planning").status_code == 403


def test_figures(world, client, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    links = flows.Links.from_settings(world.state.ctx.settings)
    from loket.vervangingsvraag.models import VraagIn

    with transaction(world.state.ctx.sessions) as db:
        a = flows.create_vraag(db_session=db, links=links, scope_bestuur_id=None, actor="test",
                               data=VraagIn(school_id="school-a1", datum_van=TOMORROW, urgentie="zelfde_dag"))
        flows.create_vraag(db_session=db, links=links, scope_bestuur_id=None, actor="test",
                           data=VraagIn(school_id="school-b1", datum_van=FRIDAY, genoemde_invaller_id="inv-1"))
        a_id = a.id
    frozen_clock.advance(minutes=12)
    with transaction(world.state.ctx.sessions) as db:
        offer = db.scalar(select(Aanbod).where(Aanbod.vraag_id == a_id, Aanbod.invaller_id == "inv-2"))
        assert flows.accept_offer(db_session=db, links=links, aanbod_id=offer.id).won
    _, email, password = make_account(world, "medewerker")
    login(client, email, password)
    figures = client.get(f"/api/v1/invalpool/cijfers?van={TOMORROW.isoformat()}&tot={FRIDAY.isoformat()}").json()
    total = figures["totaal"]
    assert total["vragen"] == 2 and total["gevuld"] == 1 and total["vulgraad"] == 0.5
    assert total["vulgraad_per_aanlooptijd"]["1_dag"] == {"vragen": 1, "gevuld": 1, "vulgraad": 1.0}
    assert total["vulgraad_per_aanlooptijd"]["2_of_meer_dagen"]["gevuld"] == 0
    assert total["tijd_tot_vullen_minuten"] == {"mediaan": 12.0, "p90": 12.0}
    assert total["aanbiedingen_per_acceptatie"] == 3.0  # two for A, one for B, one accepted
    assert total["spreiding"]["invallers_met_werk"] == 1
    assert set(figures["per_bestuur"]) == {"bestuur-a", "bestuur-b"}
    assert figures["per_school"]["school-a1"]["gevuld"] == 1
    bad = client.get("/api/v1/invalpool/cijfers?van=2026-12-01&tot=2026-11-01")
    assert bad.status_code == 422 and bad.json()["code"] == "figures_period"
    assert client.get("/api/v1/invalpool/cijfers?van=gisteren").status_code == 422
