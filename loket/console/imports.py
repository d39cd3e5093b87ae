"""Checking imported rows of vacatures and invallers, one report line per row (no database here).

The view reads the file (``tables.read_rows``), gives the rows and what the database knows (``Known``)
to ``check_vacatures``/``check_invallers``, shows the report, and writes only when the user agrees:
all rows when every row is good, or only the good rows when the user asks for that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from loket.text import clean
from matching.vacatures import REQUIRES, ROLES, SECTORS

GROEPEN = ("1-2", "3-4", "5-6", "7-8")
BEVOEGDHEDEN = ("po_bevoegdheid", "gym_bevoegdheid", "vo_bevoegdheid", "mbo_bevoegdheid")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", ""}


@dataclass(frozen=True)
class Known:
    """What the database holds that rows may refer to."""

    school_ids: frozenset[str] = frozenset()
    vacature_ids: frozenset[str] = frozenset()
    invaller_ids: frozenset[str] = frozenset()
    # normalised place name -> (plaats id, lat, lon)
    plaatsen: dict[str, tuple[str, float, float]] = field(default_factory=dict)


@dataclass
class RowReport:
    """One row of the file: its line number, the problems found, and the values to store when good."""

    line: int
    problems: list[str]
    values: dict[str, Any]
    label: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(
    row: dict[str, Any],
    key: str,
    problems: list[str],
    *,
    required: bool = False,
    max_len: int = 200,
    label: str = "",
) -> str | None:
    raw = row.get(key)
    value = clean(str(raw)) if raw is not None else ""
    if not value:
        if required:
            problems.append(f"{label or key} ontbreekt.")
        return None
    if len(value) > max_len:
        problems.append(f"{label or key} is te lang (meer dan {max_len} tekens).")
        return None
    return value


def _number(
    row: dict[str, Any],
    key: str,
    problems: list[str],
    *,
    low: float,
    high: float,
    label: str,
    required: bool = False,
) -> float | None:
    raw = row.get(key)
    if raw is None or str(raw).strip() == "":
        if required:
            problems.append(f"{label} ontbreekt.")
        return None
    try:
        value = float(str(raw).strip().replace(",", ".")) if not isinstance(raw, (int, float)) else float(raw)
    except ValueError:
        problems.append(f"{label} is geen getal: '{str(raw)[:40]}'.")
        return None
    if not low <= value <= high:
        problems.append(f"{label} moet tussen {low:g} en {high:g} liggen.")
        return None
    return value


def _bool(row: dict[str, Any], key: str, problems: list[str], *, label: str) -> bool:
    raw = row.get(key)
    if isinstance(raw, bool):
        return raw
    value = str(raw if raw is not None else "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        problems.append(f"{label}: vul 'ja' of 'nee' in.")
    return False


def parse_date(raw: Any) -> date | None:
    """A date from an Excel cell, ``2026-12-31`` or ``31-12-2026``; None when empty; ValueError when wrong."""
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _date(row: dict[str, Any], key: str, problems: list[str], *, label: str) -> date | None:
    try:
        return parse_date(row.get(key))
    except ValueError:
        problems.append(f"{label} is geen datum: gebruik 31-12-2026 of 2026-12-31.")
        return None


def _choice(
    row: dict[str, Any],
    key: str,
    problems: list[str],
    *,
    options: tuple[str, ...],
    label: str,
    default: str | None = None,
) -> str | None:
    raw = row.get(key)
    value = str(raw).strip().lower() if raw is not None else ""
    if not value:
        if default is None:
            problems.append(f"{label} ontbreekt.")
        return default
    if value not in options:
        problems.append(f"{label} '{value[:40]}' kennen we niet; kies uit: {', '.join(options)}.")
        return None
    return value


def _list(
    row: dict[str, Any], key: str, problems: list[str], *, options: tuple[str, ...], label: str
) -> list[str]:
    raw = row.get(key)
    items = [p.strip().lower() for p in re.split(r"[,;|]", str(raw or "")) if p.strip()]
    unknown = [i for i in items if i not in options]
    if unknown:
        problems.append(f"{label}: '{unknown[0][:40]}' kennen we niet; kies uit: {', '.join(options)}.")
    return sorted(set(i for i in items if i in options))


def _with_lines(rows: list[dict[str, Any]], check: Callable[[dict[str, Any]], RowReport]) -> list[RowReport]:
    reports = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        report = check(row)
        report.line = number
        reports.append(report)
    return reports


def check_vacatures(rows: list[dict[str, Any]], known: Known) -> list[RowReport]:
    """A report per vacature row; good rows carry the column values of ``Vacature``."""

    def check(row: dict[str, Any]) -> RowReport:
        p: list[str] = []
        vid = _text(row, "id", p, max_len=32)
        if vid and vid not in known.vacature_ids:
            p.append(f"Vacature {vid} bestaat niet; laat 'id' leeg voor een nieuwe vacature.")
        school = _text(row, "school_id", p, required=True, max_len=64, label="school_id")
        if school and school not in known.school_ids:
            p.append(f"School {school} kennen we niet.")
        values = {
            "school_id": school,
            "titel": _text(row, "titel", p, required=True, max_len=300, label="Titel"),
            "rol": _choice(row, "rol", p, options=ROLES, label="Rol"),
            "sector": _choice(row, "sector", p, options=SECTORS, label="Sector", default="po"),
            "vak": _text(row, "vak", p, max_len=100),
            "uren_per_week": _number(
                row, "uren_per_week", p, low=1, high=40, label="Uren per week", required=True
            ),
            "vereist": _choice(
                row, "vereist", p, options=REQUIRES, label="Vereist", default="po_bevoegdheid"
            ),
            "zij_instroom_mogelijk": _bool(row, "zij_instroom_mogelijk", p, label="Zij-instroom mogelijk"),
            "omschrijving": _text(row, "omschrijving", p, max_len=5000) or "",
            "status": _choice(row, "status", p, options=("open", "gesloten"), label="Status", default="open"),
            "sluit_op": _date(row, "sluit_op", p, label="Sluit op"),
        }
        if vid:
            values["id"] = vid
        return RowReport(line=0, problems=p, values=values, label=values["titel"] or "")

    return _with_lines(rows, check)


def check_invallers(rows: list[dict[str, Any]], known: Known) -> list[RowReport]:
    """A report per invaller row; good rows carry the column values of ``Invaller``."""
    from knowledge.schema.region import normalise_name

    def check(row: dict[str, Any]) -> RowReport:
        p: list[str] = []
        iid = _text(row, "id", p, max_len=32)
        if iid and iid not in known.invaller_ids:
            p.append(f"Invaller {iid} bestaat niet; laat 'id' leeg voor een nieuwe invaller.")
        email = _text(row, "email", p, max_len=320)
        if email and not _EMAIL.match(email):
            p.append(f"E-mailadres '{email[:60]}' klopt niet.")
        plaats_naam = _text(row, "plaats", p, required=True, max_len=200, label="Plaats")
        plaats = known.plaatsen.get(normalise_name(plaats_naam)) if plaats_naam else None
        if plaats_naam and plaats is None:
            p.append(f"Plaats '{plaats_naam[:60]}' ligt niet in de regio of kennen we niet.")
        tier = _number(row, "tier", p, low=1, high=3, label="Tier")
        if tier is not None and not float(tier).is_integer():
            p.append("Tier moet 1, 2 of 3 zijn.")
        bevoegd = _list(row, "bevoegdheden", p, options=BEVOEGDHEDEN, label="Bevoegdheden")
        values = {
            "naam": _text(row, "naam", p, required=True, max_len=200, label="Naam"),
            "email": email,
            "telefoon": _text(row, "telefoon", p, max_len=64),
            "bevoegdheden": bevoegd,
            "groepen": _list(row, "groepen", p, options=GROEPEN, label="Groepen"),
            "plaats_id": plaats[0] if plaats else None,
            "lat": plaats[1] if plaats else None,
            "lon": plaats[2] if plaats else None,
            "max_afstand_km": _number(row, "max_afstand_km", p, low=1, high=200, label="Max. afstand (km)")
            or 25.0,
            "tier": int(tier) if tier else 1,
            "vog_geldig_tot": _date(row, "vog_geldig_tot", p, label="VOG geldig tot"),
            "id_geldig_tot": _date(row, "id_geldig_tot", p, label="ID geldig tot"),
        }
        if iid:
            values["id"] = iid
        return RowReport(line=0, problems=p, values=values, label=values["naam"] or "")

    return _with_lines(rows, check)


VACATURE_COLUMNS = [
    "id",
    "school_id",
    "titel",
    "rol",
    "sector",
    "vak",
    "uren_per_week",
    "vereist",
    "zij_instroom_mogelijk",
    "omschrijving",
    "status",
    "sluit_op",
]
INVALLER_COLUMNS = [
    "id",
    "naam",
    "email",
    "telefoon",
    "plaats",
    "bevoegdheden",
    "groepen",
    "max_afstand_km",
    "tier",
    "vog_geldig_tot",
    "id_geldig_tot",
]
