"""Demo ambitieafspraken for Midden-Nederland: believable baselines and targets, imported actuals for a few
years (outflow, shortage), and the computed ones follow from the demo's own candidates and invalpool."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from knowledge.schema.region import Region

OCW = "OCW/DUO, uitstroom uit het po naar jaren na diploma"
ARBEIDSMARKT = "Regionale arbeidsmarktcijfers po (tekort in % van de fte, peildatum oktober)"
# (code, naam, eenheid, richting, nulmeting (waarde, jaar, bron), doelen 2026-2029, eigenaar, activiteiten,
#  indicator)
AMBITIES: list[tuple[Any, ...]] = [
    ("1", "Meer zij-instromers die starten in het po", "personen", "hoger",
     (60, 2025, "Transvita: gestarte zij-instromers po 2025"), (75, 90, 105, 120), "Transvita",
     ["1.1 Carrièrebeurs", "2.1 Loketfunctie Transvita", "2.2 Brede intake",
      "3.1 Flank subsidie zij-instroom inclusief oriëntatiedagen"], "zij_instromers_gestart"),
    ("2.1", "Minder starters die binnen 3 jaar na hun diploma het onderwijs verlaten", "%", "lager",
     (22.0, 2024, OCW), (20.5, 19.0, 17.5, 16.0), "Regiegroep OMN",
     ["Inductietrajecten", "Coachen van starters (alle doelgroepen)"], None),
    ("2.2", "Minder leraren die na 3 jaar of langer het onderwijs verlaten", "%", "lager",
     (6.5, 2024, OCW), (6.3, 6.0, 5.8, 5.5), "Regiegroep OMN", ["Loopbaangesprekken", "Leerkracht - veerkracht"],
     None),
    ("3.1", "Een kleiner tekort aan leraren", "%", "lager",
     (6.8, 2025, ARBEIDSMARKT), (6.2, 5.6, 5.0, 4.5), "Regiegroep OMN", ["1.4 Anders organiseren"], None),
    ("3.2", "Een kleiner tekort aan schoolleiders", "fte", "lager",
     (35.0, 2025, "Bestuurlijke uitvraag schoolleiders po 2025"), (31.0, 27.0, 23.0, 20.0), "Werkgroep leiderschap",
     ["Oriëntatie op leiderschap"], None),
    ("4.2", "Loopbaangesprekken voor leraren, door een coach van buiten hun bestuur", "personen", "hoger",
     (40, 2025, "Transvita: loopbaangesprekken 2025"), (80, 120, 160, 200), "Transvita", ["Loopbaangesprekken"],
     "loopbaangesprekken_gehouden"),
    ("4.3", "Meer vervangingsvragen gevuld uit de regionale invalpool", "%", "hoger",
     (70.0, 2025, "Invalpool 2025"), (74.0, 78.0, 82.0, 85.0), "Invalpool Midden-Nederland",
     ["2.3 Samenwerking in subregio's"], "invalpool_vulgraad"),
]
# (code, subregio, jaar, waarde, bron, peildatum): a few years of figures from outside loket.
IMPORTED: list[tuple[Any, ...]] = [
    ("2.1", "regio", 2024, 22.0, OCW, date(2025, 3, 1)),
    ("2.1", "regio", 2025, 20.9, OCW, date(2026, 3, 1)),
    ("2.1", "regio", 2026, 19.6, OCW, date(2026, 11, 1)),
    ("2.2", "regio", 2024, 6.5, OCW, date(2025, 3, 1)),
    ("2.2", "regio", 2025, 6.6, OCW, date(2026, 3, 1)),
    ("2.2", "regio", 2026, 6.7, OCW, date(2026, 11, 1)),
    ("3.1", "regio", 2025, 6.8, ARBEIDSMARKT, date(2025, 10, 1)),
    ("3.1", "regio", 2026, 6.3, ARBEIDSMARKT, date(2026, 10, 1)),
    ("3.1", "utrecht-stad", 2026, 9.1, ARBEIDSMARKT, date(2026, 10, 1)),
    ("3.1", "amersfoort-eemland", 2026, 7.0, ARBEIDSMARKT, date(2026, 10, 1)),
    ("3.1", "utrecht-west", 2026, 4.8, ARBEIDSMARKT, date(2026, 10, 1)),
    ("3.1", "heuvelrug-vallei", 2026, 4.1, ARBEIDSMARKT, date(2026, 10, 1)),
    ("3.2", "regio", 2025, 35.0, "Bestuurlijke uitvraag schoolleiders po", date(2025, 10, 1)),
    ("3.2", "regio", 2026, 33.5, "Bestuurlijke uitvraag schoolleiders po", date(2026, 10, 1)),
]


def extend(data: Any, *, region: Region, rnd: Any, today: date, scale: str) -> None:
    """Add the demo ambitions and imported actuals (the region's set only; benches need none)."""
    if scale != "region":
        return
    now = datetime(today.year, today.month, today.day, 8, 0).astimezone()
    rows = data.tables.setdefault("ambitie", [])
    for code, naam, eenheid, richting, (base, year, bron), targets, owner, activities, indicator in AMBITIES:
        rows.append({"id": f"ambitie-{code.replace('.', '-')}", "code": code, "naam": naam, "eenheid": eenheid,
                     "richting": richting,
                     "scope": "regio", "nulmeting_waarde": float(base), "nulmeting_jaar": year, "nulmeting_bron": bron,
                     "doelen": {str(y): float(v) for y, v in zip((2026, 2027, 2028, 2029), targets, strict=True)},
                     "eigenaar": owner, "activiteiten": activities, "indicator": indicator,
                     "created_at": now, "updated_at": now})
    actual_rows = data.tables.setdefault("ambitie_realisatie", [])
    for code, sub, year, value, bron, peildatum in IMPORTED:
        actual_rows.append({"code": code, "indicator": "", "subregio": sub, "jaar": year, "waarde": value,
                            "bron": bron, "peildatum": peildatum, "herkomst": "import", "berekening": "",
                            "created_at": now})
