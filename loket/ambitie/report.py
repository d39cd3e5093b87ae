"""The yearly report of the ambitieafspraken as an Excel workbook: a summary sheet and a sheet per topic."""

from __future__ import annotations

from typing import Any

from loket.ambitie import service
from loket.console.tables import to_xlsx

SUMMARY_COLUMNS = ("Onderwerp", "Ambitie", "Scope", "Eenheid", "Doel dit jaar", "Doel 2029", "Realisatie",
                   "Status", "Bron", "Toelichting", "Activiteiten")
TOPIC_COLUMNS = ("Jaar", "Doel", "Rechte lijn", "Realisatie", "Status", "Bron", "Peildatum")


def summary_rows(blocks: list[service.Block], year: int) -> list[list[Any]]:
    return [[b.ambitie.code, b.ambitie.naam, b.ambitie.scope, b.ambitie.eenheid, service.target(b.ambitie, year),
             service.target(b.ambitie, service.FINAL_YEAR), b.actual, service.STATUS_LABELS[b.status], b.source,
             b.explanation, "; ".join(str(a) for a in b.ambitie.activiteiten or [])] for b in blocks]


def workbook(blocks: list[service.Block], year: int) -> bytes:
    sheets: list[tuple[str, Any, Any]] = [(f"Samenvatting {year}", SUMMARY_COLUMNS, summary_rows(blocks, year))]
    used: set[str] = set()
    for b in blocks:
        title = f"{b.ambitie.code} {b.ambitie.scope}"[:31]
        while title in used:
            title = title[:29] + f"{len(used) % 100:02d}"
        used.add(title)
        rows = [[r["jaar"], r["doel"], None if r["lijn"] is None else round(r["lijn"], 2), r["realisatie"],
                 service.STATUS_LABELS[r["status"]], r["bron"], r["peildatum"]] for r in b.years]
        rows += [[], ["Regel", service.STATUS_RULE], ["Berekening", b.computed_how or "—"],
                 ["Nulmeting", b.ambitie.nulmeting_waarde, b.ambitie.nulmeting_jaar, b.ambitie.nulmeting_bron]]
        rows += [[f"Subregio {s['subregio']}", s["waarde"], s["bron"]] for s in b.subregios]
        sheets.append((title, TOPIC_COLUMNS, rows))
    return to_xlsx(sheets)
