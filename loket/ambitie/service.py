"""The ambitieafspraken monitor: topics, the status rule, actuals (computed from loket's own data and
imported), targets edited with an audit trail, and the blocks the monitor and the yearly report show.

The status rule (also stated on the page): the expected value in a year lies on the straight line from the
nulmeting (baseline) to the 2029 target. Within 10 % of the whole planned change from that line is *op
koers*; better than that is *voor*, worse is *achter* ("better" follows the ambition's direction).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge import KNOWLEDGE_DIR
from loket import clock
from loket.ambitie.models import REGIO, Ambitie, AmbitieRealisatie, AmbitieToelichting
from loket.audit.service import record
from loket.console.tables import RowReport, cell_date
from loket.context import AppContext

LOCAL = ZoneInfo("Europe/Amsterdam")
TARGET_YEARS = (2026, 2027, 2028, 2029)
FINAL_YEAR = 2029
YEARS = range(2020, 2031)  # years an actual may be about
TOLERANCE = 0.10  # of the whole planned change: the "op koers" band around the straight line
STATUS_RULE = ("Op koers: de realisatie ligt binnen 10% van de totale geplande verandering van de rechte "
               "lijn van de nulmeting naar het doel voor 2029. Voor: beter dan dat. Achter: slechter. "
               "Beter is hoger of lager, zoals bij de ambitie staat.")
STATUS_LABELS = {"op_koers": "op koers", "voor": "voor", "achter": "achter", "onbekend": "nog geen realisatie"}
UNITS = ("personen", "%", "fte", "uur")


@dataclass(frozen=True)
class Topic:
    code: str
    name: str


@dataclass(frozen=True)
class Indicator:
    key: str
    topic: str
    unit: str
    explains: str


@lru_cache(maxsize=1)
def _knowledge() -> tuple[tuple[Topic, ...], tuple[Indicator, ...], str]:
    data = yaml.safe_load((KNOWLEDGE_DIR / "ambities.yaml").read_text(encoding="utf-8"))
    topics = tuple(Topic(str(t["code"]), str(t["name"])) for t in data["topics"])
    indicators = tuple(Indicator(str(i["key"]), str(i["topic"]), str(i["unit"]), " ".join(str(i["explains"]).split()))
                       for i in data["indicators"])
    return topics, indicators, str(data.get("source", ""))


def topics() -> tuple[Topic, ...]:
    return _knowledge()[0]


def indicators() -> dict[str, Indicator]:
    return {i.key: i for i in _knowledge()[1]}


def topic_codes() -> set[str]:
    """The fixed topics and the region's own codes under 4.x (4.1.a, 4.2.2 …)."""
    return {t.code for t in topics()}


def valid_code(code: str) -> bool:
    code = code.strip()
    return code in topic_codes() or (code.startswith(("4.1.", "4.2.", "4.3.")) and len(code) <= 16)


# ------------------------------------------------------------------------------------------ the status rule


def target(ambitie: Ambitie, year: int) -> float | None:
    value = (ambitie.doelen or {}).get(str(year))
    return None if value is None else float(value)


def expected(ambitie: Ambitie, year: int) -> float | None:
    """The value on the straight line from the nulmeting to the 2029 target in ``year``."""
    final = target(ambitie, FINAL_YEAR)
    if final is None:
        return None
    span = FINAL_YEAR - ambitie.nulmeting_jaar
    if span <= 0:
        return final
    share = min(max((year - ambitie.nulmeting_jaar) / span, 0.0), 1.0)
    return ambitie.nulmeting_waarde + (final - ambitie.nulmeting_waarde) * share


def status(ambitie: Ambitie, year: int, actual: float | None) -> str:
    """op_koers, voor, achter, or onbekend (no actual or no 2029 target): the rule in STATUS_RULE."""
    line = expected(ambitie, year)
    final = target(ambitie, FINAL_YEAR)
    if actual is None or line is None or final is None:
        return "onbekend"
    band = TOLERANCE * abs(final - ambitie.nulmeting_waarde) or TOLERANCE * abs(ambitie.nulmeting_waarde) or 1e-9
    better = actual - line if ambitie.richting == "hoger" else line - actual
    if better > band + 1e-9:
        return "voor"
    if better < -band - 1e-9:
        return "achter"
    return "op_koers"


# ------------------------------------------------------------------------------------------ actuals


def actuals(db: Session, ambitie: Ambitie) -> dict[tuple[str, int], AmbitieRealisatie]:
    """(subregio, year) -> the actual that counts: the ambition's computed indicator, else the imported
    figure of its topic with the newest peildatum."""
    query = select(AmbitieRealisatie).where(AmbitieRealisatie.code == ambitie.code)
    if ambitie.indicator:
        query = query.where(AmbitieRealisatie.indicator == ambitie.indicator)
    else:
        query = query.where(AmbitieRealisatie.herkomst == "import")
    out: dict[tuple[str, int], AmbitieRealisatie] = {}
    for row in db.scalars(query.order_by(AmbitieRealisatie.peildatum, AmbitieRealisatie.id)):
        out[(row.subregio, row.jaar)] = row  # the newest peildatum wins
    return out


def _subregio_of_place(ctx: AppContext) -> Any:
    from loket.console.figures import _subregio_of_place as of

    return of(ctx)


def _year(moment: datetime | date) -> int:
    return (moment.astimezone(LOCAL) if isinstance(moment, datetime) else moment).year


def _computed(db: Session, ctx: AppContext) -> dict[str, dict[tuple[str, int], float]]:
    """Each indicator's values per (subregio, year), the region total under REGIO."""
    from loket.bestuur.models import School
    from loket.kandidaat.models import Kandidaat
    from loket.loopbaangesprek.models import Loopbaangesprek
    from loket.regio.models import Plaats
    from loket.vervangingsvraag.models import Vervangingsvraag

    out: dict[str, dict[tuple[str, int], float]] = {}
    of = _subregio_of_place(ctx)
    started: dict[tuple[str, int], float] = defaultdict(float)
    for plaats, moment in db.execute(select(Kandidaat.plaats, Kandidaat.updated_at).where(
            Kandidaat.fase.in_(("in_opleiding", "aan_het_werk")))):
        for sub in (of(plaats), REGIO):
            started[(sub, _year(moment))] += 1
    out["zij_instromers_gestart"] = dict(started)

    held: dict[tuple[str, int], float] = defaultdict(float)
    for (moment,) in db.execute(select(Loopbaangesprek.created_at).where(Loopbaangesprek.status == "afgerond")):
        held[(REGIO, _year(moment))] += 1
    out["loopbaangesprekken_gehouden"] = dict(held)

    from loket.starter.models import Starter

    coached: dict[tuple[str, int], float] = defaultdict(float)
    for start, sub in db.execute(select(Starter.startdatum, Plaats.subregio_id)
                                 .outerjoin(School, Starter.school_id == School.id)
                                 .outerjoin(Plaats, School.plaats_id == Plaats.id)
                                 .where(Starter.status == "geaccepteerd")):
        for key in ((sub or "onbekend", start.year), (REGIO, start.year)):
            coached[key] += 1
    out["starters_gecoacht"] = dict(coached)

    today = clock.now().astimezone(LOCAL).date()
    need: dict[tuple[str, int], int] = defaultdict(int)
    filled: dict[tuple[str, int], int] = defaultdict(int)
    hours: dict[tuple[str, int], list[float]] = defaultdict(list)
    rows = db.execute(
        select(Vervangingsvraag.status, Vervangingsvraag.created_at, Vervangingsvraag.gevuld_at,
               Vervangingsvraag.datum_van, Vervangingsvraag.datum_tot, Plaats.subregio_id)
        .join(School, Vervangingsvraag.school_id == School.id).join(Plaats, School.plaats_id == Plaats.id)
        .where(Vervangingsvraag.status != "geannuleerd"))
    for st, created, gevuld_at, datum_van, datum_tot, sub in rows:
        if datum_tot >= today and st not in ("gevuld", "afgerond"):
            continue  # still being offered: not yet a success or a failure
        for key in ((sub or "onbekend", datum_van.year), (REGIO, datum_van.year)):
            need[key] += 1
            if st in ("gevuld", "afgerond") or gevuld_at is not None:
                filled[key] += 1
                if gevuld_at is not None:
                    hours[key].append((gevuld_at - created).total_seconds() / 3600)
    out["invalpool_vulgraad"] = {k: round(100 * filled[k] / n, 1) for k, n in need.items() if n}
    out["invalpool_tijd_tot_gevuld"] = {k: round(statistics.median(v), 1) for k, v in hours.items() if v}
    return out


def recompute(*, db_session: Session, ctx: AppContext) -> int:
    """Compute every indicator from loket's own data again (nightly, and on demand); return the rows."""
    today = clock.now().astimezone(LOCAL).date()
    known = indicators()
    count = 0
    for key, values in _computed(db_session, ctx).items():
        indicator = known[key]
        db_session.execute(delete(AmbitieRealisatie).where(AmbitieRealisatie.indicator == key,
                                                           AmbitieRealisatie.herkomst == "berekend"))
        for (sub, year), value in sorted(values.items()):
            if year not in YEARS:
                continue
            db_session.add(AmbitieRealisatie(code=indicator.topic, indicator=key, subregio=sub, jaar=year,
                                             waarde=value, bron="loket", peildatum=today, herkomst="berekend",
                                             berekening=indicator.explains))
            count += 1
    db_session.flush()
    return count


# ------------------------------------------------------------------------------------------ import


IMPORT_COLUMNS = ("onderwerp", "subregio", "jaar", "waarde", "bron", "peildatum")
TEMPLATE_ROWS = [
    ["2.1", "regio", 2025, 38, "OCW/DUO: uitstroom binnen 3 jaar na diploma", "2026-03-01"],
    ["3.1", "utrecht-stad", 2025, 9.2, "Regionale arbeidsmarktcijfers (tekort in % fte)", "2026-03-01"],
]


ImportReport = RowReport  # rows read, errors per row, added, replaced (loket.console.tables)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value or "").strip().replace("%", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def import_actuals(*, db_session: Session, rows: list[dict[str, Any]], subregios: set[str],
                   actor: str) -> ImportReport:
    """All or nothing: check every row (unknown topic or subregio, a year outside 2020–2030, a value that is
    not a number, a missing source or peildatum, a duplicate); store nothing when one row is wrong. The same
    topic × subregio × year with the same peildatum replaces the earlier figure; a newer peildatum adds one."""
    report = ImportReport(rows=len(rows))
    parsed = []
    seen: dict[tuple[str, str, int, date], int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        code = str(row.get("onderwerp") or "").strip()
        sub = str(row.get("subregio") or "").strip().lower() or REGIO
        year = _number(row.get("jaar"))
        value = _number(row.get("waarde"))
        peildatum = cell_date(row.get("peildatum"))
        bron = str(row.get("bron") or "").strip()
        problems = []
        if not valid_code(code):
            problems.append(f"onbekend onderwerp '{code}' (gebruik 1, 2.1, 2.2, 3.1, 3.2 of 4.x)")
        if sub != REGIO and sub not in subregios:
            problems.append(f"onbekende subregio '{sub}' (gebruik 'regio' of een subregio uit de lijst)")
        if year is None or not year.is_integer() or int(year) not in YEARS:
            problems.append(f"jaar '{row.get('jaar')}' ligt niet tussen 2020 en 2030")
        if value is None:
            problems.append(f"waarde '{row.get('waarde')}' is geen getal")
        if peildatum is None:
            problems.append(f"peildatum '{row.get('peildatum')}' is geen datum (jjjj-mm-dd)")
        if not bron:
            problems.append("de bron ontbreekt")
        if not problems:
            key = (code, sub, int(year), peildatum)  # type: ignore[arg-type]
            if key in seen:
                problems.append(f"dubbel: hetzelfde onderwerp, subregio, jaar en peildatum als regel {seen[key]}")
            seen[key] = number  # type: ignore[index]
        if problems:
            report.errors.append((number, "; ".join(problems)))
        else:
            parsed.append((code, sub, int(year), float(value), bron[:300], peildatum))  # type: ignore[arg-type]
    if report.errors:
        return report
    for code, sub, year, value, bron, peildatum in parsed:
        gone = db_session.execute(delete(AmbitieRealisatie).where(
            AmbitieRealisatie.code == code, AmbitieRealisatie.subregio == sub, AmbitieRealisatie.jaar == year,
            AmbitieRealisatie.peildatum == peildatum, AmbitieRealisatie.herkomst == "import")).rowcount
        report.replaced += 1 if gone else 0
        report.added += 0 if gone else 1
        db_session.add(AmbitieRealisatie(code=code, indicator="", subregio=sub, jaar=year, waarde=value, bron=bron,
                                         peildatum=peildatum, herkomst="import"))
    record(db_session=db_session, actor=actor, action="ambitie.import", object_type="ambitie_realisatie",
           object_id="import", detail={"rows": len(parsed), "added": report.added, "replaced": report.replaced})
    db_session.flush()
    return report


# ------------------------------------------------------------------------------------------ targets


def update_targets(*, db_session: Session, ambitie: Ambitie, values: dict[str, Any], actor: str) -> None:
    """Change an ambition (baseline, targets, owner, activities …); every change is in the audit log."""
    before = {k: getattr(ambitie, k) for k in values}
    for key, value in values.items():
        setattr(ambitie, key, value)
    ambitie.updated_at = clock.now()
    changed = {k: {"van": before[k], "naar": v} for k, v in values.items() if before[k] != v}
    if changed:
        record(db_session=db_session, actor=actor, action="ambitie.edit", object_type="ambitie", object_id=ambitie.id,
               detail={"code": ambitie.code, "changes": changed})


def set_explanation(*, db_session: Session, code: str, year: int, text: str, actor: str) -> None:
    row = db_session.get(AmbitieToelichting, (code, year))
    if row is None:
        row = AmbitieToelichting(code=code, jaar=year)
        db_session.add(row)
    row.tekst, row.door, row.updated_at = text.strip()[:5000], actor[:100], clock.now()
    record(db_session=db_session, actor=actor, action="ambitie.toelichting", object_type="ambitie", object_id=code,
           detail={"jaar": year})


# ------------------------------------------------------------------------------------------ the monitor


@dataclass
class Block:
    """One ambition on the monitor: per year the target, the line, the actual and its status."""

    ambitie: Ambitie
    topic: str
    years: list[dict[str, Any]]
    status: str  # for the chosen year
    actual: float | None
    subregios: list[dict[str, Any]]  # the split per subregio in the chosen year
    source: str
    computed_how: str
    explanation: str


def blocks(*, db_session: Session, ctx: AppContext, year: int, with_subregios: bool) -> list[Block]:
    names = {t.code: t.name for t in topics()}
    sub_names = {s.id: s.name for s in ctx.knowledge.region.subregios}
    explanations = {(e.code, e.jaar): e.tekst for e in db_session.scalars(select(AmbitieToelichting))}
    out = []
    for ambitie in db_session.scalars(select(Ambitie).order_by(Ambitie.code, Ambitie.scope, Ambitie.naam)):
        found = actuals(db_session, ambitie)
        scope = ambitie.scope or REGIO
        rows = []
        for y in range(ambitie.nulmeting_jaar, FINAL_YEAR + 1):
            real = found.get((scope, y))
            rows.append({"jaar": y, "doel": target(ambitie, y), "lijn": expected(ambitie, y),
                         "realisatie": real.waarde if real else None,
                         "status": status(ambitie, y, real.waarde if real else None),
                         "bron": real.bron if real else "", "peildatum": real.peildatum if real else None})
        now = found.get((scope, year))
        split = []
        if with_subregios and scope == REGIO:
            for (sub, y), real in sorted(found.items()):
                if y == year and sub not in (REGIO,):
                    split.append({"subregio": sub_names.get(sub, "Onbekend" if sub == "onbekend" else sub),
                                  "waarde": real.waarde, "bron": real.bron})
        out.append(Block(ambitie=ambitie, topic=names.get(ambitie.code, ambitie.code), years=rows,
                         status=status(ambitie, year, now.waarde if now else None),
                         actual=now.waarde if now else None, subregios=split,
                         source=(now.bron if now else ambitie.nulmeting_bron),
                         computed_how=(now.berekening if now and now.herkomst == "berekend" else ""),
                         explanation=explanations.get((ambitie.code, year), "")))
    return out


def count_ambities(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(Ambitie)) or 0)
