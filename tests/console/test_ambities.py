"""The ambitieafspraken monitor: actuals from loket's own data match a hand count, imports are all or
nothing with a report per row, the status rule at its edges, the yearly report in Excel holds what the
page shows, targets are edited by a beheerder with an audit trail, and each role sees what it may."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from loket.ambitie import service
from loket.ambitie.models import Ambitie, AmbitieRealisatie
from loket.audit.models import AuditEvent
from loket.db import transaction
from loket.kandidaat.models import Kandidaat
from loket.loopbaangesprek.models import Loopbaangesprek
from loket.vervangingsvraag.models import Vervangingsvraag


def _ambitie(**fields) -> Ambitie:  # type: ignore[no-untyped-def]
    values = {"code": "1", "naam": "Test", "eenheid": "personen", "richting": "hoger", "scope": "regio",
              "nulmeting_waarde": 100.0, "nulmeting_jaar": 2025, "doelen": {"2029": 200.0}}
    return Ambitie(**{**values, **fields})


@pytest.mark.parametrize(("richting", "actual", "wanted"), [
    # hoger: the line in 2027 is 150 (100 -> 200 over 2025-2029); the band is 10 % of 100 = 10.
    ("hoger", 150.0, "op_koers"), ("hoger", 160.0, "op_koers"), ("hoger", 140.0, "op_koers"),
    ("hoger", 160.5, "voor"), ("hoger", 139.5, "achter"),
    # lager is better: mirrored.
    ("lager", 139.5, "voor"), ("lager", 160.5, "achter"), ("lager", 150.0, "op_koers"),
])
def test_the_status_rule_at_its_edges(richting: str, actual: float, wanted: str) -> None:
    assert service.status(_ambitie(richting=richting), 2027, actual) == wanted


def test_the_status_is_unknown_without_an_actual_or_a_2029_target() -> None:
    assert service.status(_ambitie(), 2027, None) == "onbekend"
    assert service.status(_ambitie(doelen={"2027": 150.0}), 2027, 150.0) == "onbekend"
    assert service.expected(_ambitie(), 2025) == 100.0 and service.expected(_ambitie(), 2031) == 200.0


def test_actuals_from_loket_data_match_a_hand_count(app, knowledge, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    from tests.invalpool.world import seed

    seed(app.state.ctx.sessions)
    moment = datetime(2026, 3, 2, 10, tzinfo=frozen_clock.now().tzinfo)
    with transaction(app.state.ctx.sessions) as db:
        for i, (plaats, fase) in enumerate([("Utrecht", "in_opleiding"), ("Utrecht", "aan_het_werk"),
                                            ("Amersfoort", "in_opleiding"), ("Utrecht", "orientatie"),
                                            ("Zeist", "nieuw")]):
            db.add(Kandidaat(id=f"k{i}", plaats=plaats, fase=fase, created_at=moment, updated_at=moment))
        for i, status in enumerate(["afgerond", "afgerond", "wachtend"]):
            db.add(Loopbaangesprek(id=f"g{i}", **_gesprek(status, moment)))
        past = frozen_clock.now().date() - timedelta(days=20)
        for i, status in enumerate(["afgerond", "afgerond", "verlopen", "geannuleerd"]):
            db.add(Vervangingsvraag(id=f"v{i}", school_id="school-a1", bestuur_id="bestuur-a", datum_van=past,
                                    datum_tot=past, status=status, created_at=moment,
                                    gevuld_at=moment + timedelta(hours=2 + 2 * i) if status == "afgerond" else None))
    ctx = SimpleNamespace(knowledge=knowledge)
    with transaction(app.state.ctx.sessions) as db:
        service.recompute(db_session=db, ctx=ctx)  # type: ignore[arg-type]
        got = {(r.indicator, r.subregio, r.jaar): r.waarde for r in db.scalars(select(AmbitieRealisatie))}
    assert got[("zij_instromers_gestart", "regio", 2026)] == 3  # by hand: k0, k1, k2
    assert got[("zij_instromers_gestart", "utrecht-stad", 2026)] == 2
    assert got[("zij_instromers_gestart", "amersfoort-eemland", 2026)] == 1
    assert got[("loopbaangesprekken_gehouden", "regio", 2026)] == 2
    assert got[("invalpool_vulgraad", "regio", past.year)] == round(100 * 2 / 3, 1)  # the cancelled one not
    assert got[("invalpool_tijd_tot_gevuld", "regio", past.year)] == 3.0  # median of 2 h and 4 h
    with transaction(app.state.ctx.sessions) as db:  # on demand again: replaced, not doubled
        service.recompute(db_session=db, ctx=ctx)  # type: ignore[arg-type]
        assert db.scalar(select(func.count()).select_from(AmbitieRealisatie)) == len(got)


def _gesprek(status: str, moment: datetime) -> dict:  # type: ignore[type-arg]
    return {"naam": "Leraar", "email": "leraar@school.nl", "bestuur_id": "bestuur-a", "status": status,
            "created_at": moment}


def test_an_import_with_one_bad_row_imports_nothing_and_says_why_per_row(seeded, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    subregios = {"utrecht-stad", "amersfoort-eemland"}
    good = {"onderwerp": "3.1", "subregio": "utrecht-stad", "jaar": 2026, "waarde": "9,4", "bron": "AMP",
            "peildatum": "2026-10-01"}
    rows = [good,
            {**good, "onderwerp": "7.7"},
            {**good, "subregio": "friesland"},
            {**good, "jaar": 2019},
            {**good, "waarde": "veel"},
            {**good, "bron": ""},
            {**good, "peildatum": "gisteren"},
            dict(good)]  # a duplicate of the first
    with transaction(seeded.state.ctx.sessions) as db:
        before = db.scalar(select(func.count()).select_from(AmbitieRealisatie))
        report = service.import_actuals(db_session=db, rows=rows, subregios=subregios, actor="test")
    assert not report.ok
    reasons = dict(report.errors)
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9}
    assert "onbekend onderwerp" in reasons[3] and "onbekende subregio" in reasons[4]
    assert "2020 en 2030" in reasons[5] and "geen getal" in reasons[6] and "bron" in reasons[7]
    assert "peildatum" in reasons[8] and "dubbel" in reasons[9] and "regel 2" in reasons[9]
    with seeded.state.ctx.sessions() as db:
        assert db.scalar(select(func.count()).select_from(AmbitieRealisatie)) == before  # nothing half-imported


def test_the_same_peildatum_replaces_and_a_newer_one_adds_and_counts(seeded, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    row = {"onderwerp": "3.2", "subregio": "regio", "jaar": 2026, "waarde": 30, "bron": "Uitvraag",
           "peildatum": "2026-10-01"}
    with transaction(seeded.state.ctx.sessions) as db:
        assert service.import_actuals(db_session=db, rows=[row], subregios=set(), actor="t").replaced == 1
        newer = service.import_actuals(db_session=db, rows=[{**row, "waarde": 29, "peildatum": "2026-11-15"}],
                                       subregios=set(), actor="t")
        assert newer.added == 1
        ambitie = db.scalar(select(Ambitie).where(Ambitie.code == "3.2"))
        assert service.actuals(db, ambitie)[("regio", 2026)].waarde == 29  # the newest peildatum counts


def test_the_monitor_and_the_yearly_report_show_every_topic(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("coordinator")
    page = staff.client.get("/console/ambities?jaar=2026")
    assert page.status_code == 200
    for code in ("1", "2.1", "2.2", "3.1", "3.2"):
        assert f'id="ambitie-{code}"' in page.text
    assert "Zo bepalen we de status" in page.text and "op koers" in page.text and "achter" in page.text
    assert "Per subregio in 2026" in page.text
    xlsx = staff.client.get("/console/ambities/rapportage.xlsx?jaar=2026")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = list(book["Samenvatting 2026"].iter_rows(values_only=True))
    by_code = {r[0]: r for r in summary[1:]}
    assert set(by_code) >= {"1", "2.1", "2.2", "3.1", "3.2"}
    assert by_code["3.1"][6] == 6.3 and by_code["3.1"][7] == "op koers"  # as on the page
    assert "6,3" in page.text
    printable = staff.client.get("/console/ambities/rapportage?jaar=2026")
    assert printable.status_code == 200 and "Jaarrapportage ambitieafspraken 2026" in printable.text
    csv = staff.client.get(f"/console/ambities/{_id(staff, '3.1')}.csv?jaar=2026")
    assert csv.status_code == 200 and "6,3" in csv.content.decode("utf-8-sig").replace(".", ",")
    api = staff.client.get("/api/v1/ambities?jaar=2026").json()
    assert {a["code"] for a in api["ambities"]} >= {"1", "2.1", "2.2", "3.1", "3.2"} and api["regel"]


def _id(staff, code: str) -> str:  # type: ignore[no-untyped-def]
    with staff.client.app.state.ctx.sessions() as db:
        return str(db.scalar(select(Ambitie.id).where(Ambitie.code == code)))


def test_the_staffs_explanation_goes_into_the_report(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("coordinator")
    saved = staff.post("/console/ambities/toelichting", {"code": "2.1", "jaar": "2026",
                                                         "tekst": "Inductie in alle besturen gestart."})
    assert saved.status_code == 303
    book = load_workbook(io.BytesIO(staff.client.get("/console/ambities/rapportage.xlsx?jaar=2026").content))
    rows = {r[0]: r for r in book["Samenvatting 2026"].iter_rows(values_only=True)}
    assert rows["2.1"][9] == "Inductie in alle besturen gestart."


def test_a_beheerder_edits_targets_with_an_audit_trail_and_a_coordinator_may_not(as_role) -> None:  # type: ignore[no-untyped-def]
    beheerder, coordinator = as_role("beheerder"), as_role("coordinator")
    ambitie_id = _id(beheerder, "3.2")
    form = {"naam": "Kleiner tekort aan schoolleiders", "eenheid": "fte", "richting": "lager", "scope": "regio",
            "nulmeting_waarde": "35", "nulmeting_jaar": "2025", "nulmeting_bron": "Uitvraag",
            "doel_2026": "31", "doel_2027": "27", "doel_2028": "23", "doel_2029": "18", "eigenaar": "Werkgroep",
            "activiteiten": "Oriëntatie op leiderschap\nLeidinggeven aan opleidingsscholen"}
    assert coordinator.post(f"/console/ambities/{ambitie_id}/bewerken", form).status_code == 403
    bad = beheerder.post(f"/console/ambities/{ambitie_id}/bewerken", {**form, "doel_2029": ""})
    assert bad.status_code == 422 and "2029" in bad.text
    assert beheerder.post(f"/console/ambities/{ambitie_id}/bewerken", form).status_code == 303
    with beheerder.client.app.state.ctx.sessions() as db:
        ambitie = db.get(Ambitie, ambitie_id)
        assert ambitie.doelen["2029"] == 18.0 and len(ambitie.activiteiten) == 2
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "ambitie.edit"))
        assert event is not None and event.actor == f"medewerker:{beheerder.id}"
        assert event.detail["changes"]["doelen"]["naar"]["2029"] == 18.0


def test_a_bestuur_sees_region_totals_only_and_a_coach_nothing(as_role) -> None:  # type: ignore[no-untyped-def]
    bestuur = as_role("bestuur")
    page = bestuur.client.get("/console/ambities?jaar=2026")
    assert page.status_code == 200 and 'id="ambitie-3.1"' in page.text
    assert "Per subregio" not in page.text and "Utrecht stad" not in page.text
    assert "9,1" not in page.text  # Utrecht stad's shortage is a subregio figure
    assert bestuur.client.get("/api/v1/ambities").status_code == 403
    assert bestuur.post("/console/ambities/herberekenen").status_code == 403
    coach = as_role("coach")
    assert coach.client.get("/console/ambities").status_code == 403
    assert coach.client.get("/console/ambities/rapportage.xlsx").status_code == 403


def test_the_import_page_takes_a_file_and_offers_the_template(as_role) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("coordinator")
    template = staff.client.get("/console/ambities/import/sjabloon.csv")
    assert template.status_code == 200 and "onderwerp;subregio;jaar;waarde;bron;peildatum" in \
        template.content.decode("utf-8-sig")
    bad = b"onderwerp;subregio;jaar;waarde;bron;peildatum\n2.1;regio;2026;veel;OCW;2026-11-01\n"
    response = staff.post("/console/ambities/import", files={"bestand": ("uitstroom.csv", bad, "text/csv")})
    assert response.status_code == 422 and "Regel 2" in response.text and "Er is niets geïmporteerd" in response.text
    good = b"onderwerp;subregio;jaar;waarde;bron;peildatum\n2.1;regio;2026;19,1;OCW;2026-12-01\n"
    response = staff.post("/console/ambities/import", files={"bestand": ("uitstroom.csv", good, "text/csv")})
    assert response.status_code == 200 and "Geïmporteerd: 1 regels" in response.text
    with staff.client.app.state.ctx.sessions() as db:
        ambitie = db.scalar(select(Ambitie).where(Ambitie.code == "2.1"))
        assert service.actuals(db, ambitie)[("regio", 2026)].waarde == 19.1
        db.execute(delete(AmbitieRealisatie).where(AmbitieRealisatie.peildatum == date(2026, 12, 1)))
