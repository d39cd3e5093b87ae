"""Reading and writing spreadsheets: CSV (comma or semicolon, as Dutch Excel writes it) and Excel .xlsx.

Bytes in, rows out (and back); no database. Cells that a spreadsheet would run as a formula are written
with a leading apostrophe, so an exported name like ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

MAX_ROWS = 5000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SheetError(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Dutch."""


def _header(cells: Iterable[Any]) -> list[str]:
    return [str(c or "").strip().lower().replace(" ", "_") for c in cells]


def read_rows(filename: str, content: bytes) -> list[dict[str, Any]]:
    """The data rows of a .csv or .xlsx file as dicts keyed by the (lower-case) header of the first row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise SheetError("Kies een bestand dat eindigt op .csv of .xlsx.")
    if not rows:
        raise SheetError("Het bestand is leeg.")
    header, data = _header(rows[0]), rows[1:]
    if not any(header):
        raise SheetError("De eerste regel moet de kolomnamen bevatten.")
    if len(data) > MAX_ROWS:
        raise SheetError(f"Het bestand heeft meer dan {MAX_ROWS} regels. Splits het in kleinere bestanden.")
    out = []
    for cells in data:
        values = list(cells) + [None] * (len(header) - len(cells))
        row = {h: v for h, v in zip(header, values, strict=False) if h}
        if any(v not in (None, "") for v in row.values()):
            out.append(row)
    return out


def _read_csv(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # older Excel saves CSV in Windows-1252
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise SheetError(f"Dit CSV-bestand kunnen we niet lezen: {exc}.") from None


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or non-Excel file
        raise SheetError(
            "Dit Excel-bestand kunnen we niet openen. Sla het op als .xlsx en probeer opnieuw."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, date, datetime, bool)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; we export UTC
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return _safe(str(value))


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV with a header row (UTF-8 with BOM and semicolons, so Dutch Excel opens it as columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx workbook with one sheet per (title, columns, rows); the header row is bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for i, column in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=i).column_letter
            sheet.column_dimensions[letter].width = max(12, min(50, len(column) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class RowReport:
    """What an import did: rows read, the errors per row (row number in the file, reason), rows added and
    replaced. An import with one error stores nothing."""

    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    added: int = 0
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def cell_date(value: Any) -> date | None:
    """A spreadsheet cell as a date: a real date, or text as 2026-08-24, 24-08-2026 or 24/08/2026."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
