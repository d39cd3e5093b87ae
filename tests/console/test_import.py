"""Importing vacatures and invallers: a report per row; a file with bad rows imports nothing unless asked."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from loket.invaller.models import Invaller
from loket.vacature.models import Vacature

VAC_CSV = (
    "school_id;titel;rol;sector;uren_per_week;vereist;zij_instroom_mogelijk;sluit_op\n"
    "school-00001;Leerkracht groep 5 ☀️;groepsleerkracht;po;32;po_bevoegdheid;ja;31-12-2026\n"
    "school-99999;Bestaat de school?;groepsleerkracht;po;32;po_bevoegdheid;nee;\n"
    "school-00002;Onderwijsassistent;onderwijsassistent;po;veel;geen;misschien;2026-13-45\n"
    "school-00003;Directeur;schoolleider;po;36;schoolleider;nee;2027-01-31\n"
)


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.state.ctx.sessions() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_bad_rows_block_the_file_until_the_user_chooses_the_good_rows(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("coordinator")
    before = _count(seeded, Vacature)
    response = staff.post("/console/vacatures/import", files={"bestand": ("v.csv", VAC_CSV.encode(), "text/csv")})
    assert response.status_code == 422
    html = response.text
    assert "Er is niets opgeslagen" in html
    assert "School school-99999 kennen we niet." in html
    assert "Uren per week is geen getal" in html and "vul &#39;ja&#39; of &#39;nee&#39; in" in html
    assert "Sluit op is geen datum" in html
    assert _count(seeded, Vacature) == before
    response = staff.post(
        "/console/vacatures/import", {"alleen_goede": "ja"}, files={"bestand": ("v.csv", VAC_CSV.encode(), "text/csv")}
    )
    assert response.status_code == 200 and "2 regels opgeslagen" in response.text
    assert _count(seeded, Vacature) == before + 2
    with seeded.state.ctx.sessions() as db:
        new = db.scalar(select(Vacature).where(Vacature.titel.like("Leerkracht groep 5 ☀%")))
        assert new.zij_instroom_mogelijk and new.sluit_op.isoformat() == "2026-12-31" and new.uren_per_week == 32


def test_excel_import_of_invallers_and_update_by_id(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("beheerder")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "naam", "email", "plaats", "bevoegdheden", "groepen", "tier", "vog_geldig_tot"])
    sheet.append(
        [
            None,
            "Fatma Yıldız",
            "fatma@example.org",
            "Amersfoort",
            "po_bevoegdheid",
            "3-4, 5-6",
            1,
            __import__("datetime").date(2027, 6, 1),
        ]
    )
    sheet.append(["inv-00001", "Nieuwe Naam", None, "Utrecht", "po_bevoegdheid, gym_bevoegdheid", "7-8", 2, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = _count(seeded, Invaller)
    response = staff.post(
        "/console/invallers/import", files={"bestand": ("pool.xlsx", buffer.getvalue(), "application/octet-stream")}
    )
    assert response.status_code == 200, response.text
    assert "Alle 2 regels zijn opgeslagen" in response.text
    assert _count(seeded, Invaller) == before + 1
    with seeded.state.ctx.sessions() as db:
        updated = db.get(Invaller, "inv-00001")
        assert updated.naam == "Nieuwe Naam" and updated.groepen == ["7-8"] and updated.tier == 2
        fatma = db.scalar(select(Invaller).where(Invaller.email == "fatma@example.org"))
        assert fatma.plaats_id and fatma.vog_geldig_tot.isoformat() == "2027-06-01"


def test_unreadable_files_get_a_clear_answer(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("beheerder")
    cases = [
        ("kapot.xlsx", b"PK\x03\x04 niet echt", "Excel-bestand kunnen we niet openen"),
        ("plaatje.png", b"\x89PNG", "eindigt op .csv of .xlsx"),
        ("leeg.csv", b"", "Het bestand is leeg"),
        ("alleen-kop.csv", b"naam;plaats\n", "Alle 0 regels"),
    ]
    for name, content, words in cases:
        response = staff.post("/console/invallers/import", files={"bestand": (name, content, "text/plain")})
        assert words in response.text, name
        assert response.status_code in (200, 422)


def test_edit_form_uses_the_same_checks(as_role, seeded) -> None:  # type: ignore[no-untyped-def]
    staff = as_role("medewerker")
    response = staff.post(
        "/console/vacatures/vac-00001",
        {"school_id": "school-00001", "titel": "", "rol": "groepsleerkracht", "uren_per_week": "80"},
    )
    assert response.status_code == 422
    assert "Titel ontbreekt." in response.text and "Uren per week moet tussen 1 en 40 liggen." in response.text
    response = staff.post(
        "/console/vacatures/nieuw",
        {
            "school_id": "school-00002",
            "titel": "<script>alert(1)</script> groep 8",
            "rol": "groepsleerkracht",
            "sector": "po",
            "uren_per_week": "24",
            "vereist": "po_bevoegdheid",
            "status": "open",
        },
    )
    assert response.status_code == 303
    page = staff.client.get(response.headers["location"]).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
