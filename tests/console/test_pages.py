"""Every console page renders for staff with the demo region, with what a staff member needs to see."""

from __future__ import annotations

import re

from sqlalchemy import select

from loket.match.models import Match


def test_every_page_renders_for_a_beheerder(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("beheerder")
    with staff.client.app.state.ctx.sessions() as db:
        match = db.scalars(select(Match).where(Match.status == "voorgesteld")).first()
        contact_id = db.scalar(select(__import__("loket.intake.models", fromlist=["x"]).ContactVerzoek.id))
    pages = [
        "/console",
        "/console/beoordelen",
        f"/console/beoordelen/{match.id}",
        "/console/kandidaten",
        f"/console/kandidaten/{match.kandidaat_id}",
        "/console/contact",
        f"/console/contact/{contact_id}",
        "/console/contact?status=afgerond",
        "/console/vacatures",
        "/console/vacatures/nieuw",
        "/console/vacatures/vac-00001",
        "/console/vacatures/import",
        "/console/invallers",
        "/console/invallers/nieuw",
        "/console/invallers/inv-00001",
        "/console/invallers/import",
        "/console/accounts",
        "/console/audit",
        "/console/beoordelen?status=goedgekeurd&soort=advies",
    ]
    for url in pages:
        response = staff.client.get(url)
        assert response.status_code == 200, (url, response.text[:500])
        assert "<h1>" in response.text, url


def test_dashboard_shows_the_demo_figures_with_tables_and_csv(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("coordinator")
    html = staff.client.get("/console").text
    for title in (
        "Intakes: van start tot advies",
        "Waar haken mensen af?",
        "Zij-instromers",
        "Loopbaangesprekken",
        "Invalpool",
    ):
        assert title in html
    assert html.count("<svg") >= 3 and html.count("<caption>") >= 3
    # Every SVG is a labelled image; its numbers are in a table next to it.
    assert all('role="img"' in svg for svg in re.findall(r"<svg[^>]*>", html))
    funnel = staff.client.get("/console/cijfers/funnel.csv?van=2026-08-01&tot=2026-11-25")
    assert funnel.status_code == 200 and funnel.headers["content-type"].startswith("text/csv")
    lines = funnel.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Stap;Aantal;Van gestart"
    started = int(lines[1].split(";")[1])
    assert started > 0 and int(lines[3].split(";")[1]) <= started


def test_dashboard_filter_errors_are_shown_not_crashed(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("medewerker")
    for query in ("van=gisteren", "van=2026-12-01&tot=2026-01-01", "subregio=atlantis", "van=2000-01-01"):
        response = staff.client.get(f"/console?{query}")
        assert response.status_code == 200
        assert 'role="alert"' in response.text
    assert staff.client.get("/console/cijfers/funnel.csv?van=nope").status_code == 422
    assert staff.client.get("/console/cijfers/bestaat-niet.csv").status_code == 404


def test_unknown_ids_are_404_pages(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("beheerder")
    for url in (
        "/console/beoordelen/nope",
        "/console/kandidaten/nope",
        "/console/contact/nope",
        "/console/vacatures/nope",
        "/console/invallers/nope",
        "/console/kandidaten/" + "x" * 5000,
    ):
        response = staff.client.get(url)
        assert response.status_code == 404, url
        assert "Niet gevonden" in response.text
