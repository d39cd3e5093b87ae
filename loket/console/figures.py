"""The region's figures for the dashboard: each a Chart with the table behind it (also served as CSV).

Periods are whole days in the Netherlands' time zone; ``van`` and ``tot`` are both included. A figure
that cannot be split by subregio (anonymous intake events) says so in its note instead of guessing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket import clock
from loket.bestuur.models import School
from loket.console.charts import Chart, bar_chart, fmt, percentile
from loket.context import AppContext
from loket.intake.models import ContactVerzoek, IntakeEvent, IntakeSessie
from loket.kandidaat.models import Kandidaat
from loket.loopbaangesprek.models import Loopbaangesprek
from loket.match.models import Match
from loket.regio.models import Plaats
from loket.vervangingsvraag.models import Vervangingsvraag

LOCAL = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
ONBEKEND = "onbekend"
CHART_IDS = ("funnel", "afhaken", "zij_instroom", "loopbaangesprekken", "starters", "invalpool")
LOOPBAAN_STATUS = {
    "wachtend": "Wachtend",
    "toegewezen": "Toegewezen",
    "geaccepteerd": "Geaccepteerd",
    "afspraak": "Afspraak gepland",
    "afgerond": "Afgerond",
    "geannuleerd": "Geannuleerd",
}


@dataclass(frozen=True)
class Period:
    van: date
    tot: date
    subregio: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.van, time(0), tzinfo=LOCAL).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.tot + timedelta(days=1), time(0), tzinfo=LOCAL).astimezone(UTC)


class PeriodError(ValueError):
    """The period filter is wrong; the message says how to fix it (Dutch)."""


def parse_period(
    van: str | None, tot: str | None, subregio: str | None, *, today: date, subregios: set[str]
) -> Period:
    """The period from the filter form; the last 90 days when empty."""
    try:
        end = date.fromisoformat(tot) if tot else today
        start = date.fromisoformat(van) if van else end - timedelta(days=89)
    except ValueError:
        raise PeriodError("Een datum klopt niet. Gebruik de datumkiezer of de vorm 2026-12-31.") from None
    if start > end:
        raise PeriodError("De begindatum ligt na de einddatum.")
    if (end - start).days > 5 * 366:
        raise PeriodError("Kies een periode van hoogstens vijf jaar.")
    if subregio and subregio not in subregios:
        raise PeriodError("Deze subregio kennen we niet. Kies er een uit de lijst.")
    return Period(start, end, subregio or None)


def _subregio_of_place(ctx: AppContext) -> Callable[[str | None], str]:
    region = ctx.knowledge.region
    cache: dict[str, str] = {}

    def of(name: str | None) -> str:
        if not name:
            return ONBEKEND
        if name not in cache:
            ref = region.lookup(name)
            cache[name] = ref.subregio if ref and ref.subregio else ONBEKEND
        return cache[name]

    return of


def _subregio_names(ctx: AppContext) -> dict[str, str]:
    names = {s.id: s.name for s in ctx.knowledge.region.subregios}
    names[ONBEKEND] = "Onbekend"
    return names


def _pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def funnel(db: Session, ctx: AppContext, period: Period) -> Chart:
    """Intakes started, consent given, advice reached, and contact asked, in the period."""
    of = _subregio_of_place(ctx)
    rows = db.execute(
        select(IntakeSessie.consent_at, IntakeSessie.done, IntakeSessie.profile).where(
            IntakeSessie.created_at >= period.start, IntakeSessie.created_at < period.end
        )
    ).all()
    if period.subregio:
        rows = [r for r in rows if of((r.profile or {}).get("place")) == period.subregio]
    started = len(rows)
    consented = sum(1 for r in rows if r.consent_at is not None)
    done = sum(1 for r in rows if r.done)
    contact_query = select(ContactVerzoek.samenvatting).where(
        ContactVerzoek.created_at >= period.start, ContactVerzoek.created_at < period.end
    )
    contacts = [s for (s,) in db.execute(contact_query).all()]
    if period.subregio:
        contacts = [s for s in contacts if of((s or {}).get("place")) == period.subregio]
    steps = [
        ("Gestart", started),
        ("Toestemming gegeven", consented),
        ("Advies gekregen", done),
        ("Iemand willen spreken", len(contacts)),
    ]
    table = [[label, n, f"{fmt(_pct(n, started))} %"] for label, n in steps]
    summary = (
        f"Van de {started} gestarte intakes gaven {consented} toestemming en kregen {done} een advies"
        f" ({fmt(_pct(done, started))} %); {len(contacts)} mensen wilden iemand spreken."
    )
    note = (
        "" if not period.subregio else "Intakes zonder bekende woonplaats tellen niet mee bij een subregio."
    )
    return bar_chart(
        "funnel",
        "Intakes: van start tot advies",
        summary,
        ["Stap", "Aantal", "Van gestart"],
        table if started or contacts else [],
        steps,
        note=note,
    )


def dropoff(db: Session, ctx: AppContext, period: Period) -> Chart:
    """Per question: how often it was shown, answered, and where people stopped."""
    counts = db.execute(
        select(IntakeEvent.slot, IntakeEvent.type, func.count())
        .where(
            IntakeEvent.at >= period.start,
            IntakeEvent.at < period.end,
            IntakeEvent.type.in_(("question_shown", "answered", "abandoned")),
            IntakeEvent.slot.is_not(None),
        )
        .group_by(IntakeEvent.slot, IntakeEvent.type)
    ).all()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for slot, kind, n in counts:
        per[slot][kind] += n
    flow = ctx.knowledge.intake_flow
    order = ["consent", *[s.slot for s in flow.slots]]
    labels = {s.slot: (s.label.nl if s.label else s.slot) for s in flow.slots}
    labels["consent"] = "Toestemming"
    slots = [s for s in order if s in per] + sorted(s for s in per if s not in order)
    table, values = [], []
    for slot in slots:
        c = per[slot]
        label = labels.get(slot, slot)
        table.append(
            [
                label,
                c["question_shown"],
                c["answered"],
                c["abandoned"],
                f"{fmt(_pct(c['abandoned'], c['question_shown']))} %",
            ]
        )
        values.append((label, float(c["abandoned"])))
    worst = max(table, key=lambda r: r[3]) if table else None
    summary = (
        f"De meeste mensen haakten af bij de vraag '{worst[0]}' ({worst[3]} keer)."
        if worst and worst[3]
        else "In deze periode haakte niemand af tijdens een vraag."
    )
    return bar_chart(
        "afhaken",
        "Waar haken mensen af?",
        summary,
        ["Vraag", "Getoond", "Beantwoord", "Afgehaakt", "Afhaakpercentage"],
        table,
        values,
        note="Telt alle intakes in de regio; bij een afgehaakte intake weten we de woonplaats vaak nog niet."
        if period.subregio
        else "",
    )


def zij_instroom(db: Session, ctx: AppContext, period: Period) -> Chart:
    """Kandidaten advised, in orientation and started (ambitieafspraak 1), per subregio."""
    of = _subregio_of_place(ctx)
    names = _subregio_names(ctx)
    advised_ids = select(Match.kandidaat_id).where(Match.soort == "advies", Match.kandidaat_id.is_not(None))
    rows = db.execute(
        select(Kandidaat.plaats, Kandidaat.fase, Kandidaat.id.in_(advised_ids)).where(
            Kandidaat.created_at >= period.start, Kandidaat.created_at < period.end
        )
    ).all()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for plaats, fase, advised in rows:
        sub = of(plaats)
        if period.subregio and sub != period.subregio:
            continue
        if advised:
            per[sub]["geadviseerd"] += 1
        if fase == "orientatie":
            per[sub]["orientatie"] += 1
        if fase in ("in_opleiding", "aan_het_werk"):
            per[sub]["gestart"] += 1
    total: Counter[str] = Counter()
    table = []
    for sub in sorted(per, key=lambda s: (s == ONBEKEND, names.get(s, s))):
        c = per[sub]
        total.update(c)
        table.append([names.get(sub, sub), c["geadviseerd"], c["orientatie"], c["gestart"]])
    if len(table) > 1:
        table.append(["Totaal", total["geadviseerd"], total["orientatie"], total["gestart"]])
    values = [
        ("Advies gekregen", float(total["geadviseerd"])),
        ("In oriëntatie", float(total["orientatie"])),
        ("Gestart (opleiding of werk)", float(total["gestart"])),
    ]
    summary = (
        f"{total['geadviseerd']} kandidaten kregen een advies, {total['orientatie']} oriënteren zich "
        f"en {total['gestart']} zijn gestart met een opleiding of werk."
    )
    return bar_chart(
        "zij_instroom",
        "Zij-instromers: advies, oriëntatie, gestart",
        summary,
        ["Subregio", "Advies gekregen", "In oriëntatie", "Gestart"],
        table,
        values,
        note="Kandidaten die zich in deze periode meldden, naar hun fase van nu.",
    )


def loopbaangesprekken(db: Session, ctx: AppContext, period: Period) -> Chart:
    """Loopbaangesprekken requested in the period, by status, and their outcomes (retention)."""
    rows = db.execute(
        select(Loopbaangesprek.status, Loopbaangesprek.uitkomst).where(
            Loopbaangesprek.created_at >= period.start, Loopbaangesprek.created_at < period.end
        )
    ).all()
    status = Counter(s for s, _ in rows)
    uitkomst = Counter(u for _, u in rows if u)
    table: list[list[Any]] = [["Status", LOOPBAAN_STATUS.get(s, s), n] for s, n in sorted(status.items())]
    table += [["Uitkomst", u.replace("_", " "), n] for u, n in uitkomst.most_common()]
    values = [(LOOPBAAN_STATUS.get(s, s), float(n)) for s, n in sorted(status.items())]
    done = status.get("afgerond", 0)
    summary = f"{len(rows)} loopbaangesprekken aangevraagd, {done} afgerond" + (
        f"; meest gekozen uitkomst: {uitkomst.most_common(1)[0][0].replace('_', ' ')}."
        if uitkomst
        else "; nog geen uitkomsten vastgelegd."
    )
    return bar_chart(
        "loopbaangesprekken",
        "Loopbaangesprekken en uitkomsten",
        summary,
        ["Soort", "Waarde", "Aantal"],
        table,
        values,
        note="Voor de hele regio (een gesprek hoort bij een coach, niet bij een subregio)."
        if period.subregio
        else "",
    )


def invalpool(db: Session, ctx: AppContext, period: Period) -> Chart:
    """Fill rate by lead time and time-to-fill per subregio for vervangingsvragen in the period."""
    names = _subregio_names(ctx)
    today = clock.now().astimezone(LOCAL).date()
    rows = db.execute(
        select(
            Vervangingsvraag.status,
            Vervangingsvraag.created_at,
            Vervangingsvraag.gevuld_at,
            Vervangingsvraag.datum_van,
            Plaats.subregio_id,
        )
        .join(School, Vervangingsvraag.school_id == School.id)
        .join(Plaats, School.plaats_id == Plaats.id)
        .where(
            Vervangingsvraag.created_at >= period.start,
            Vervangingsvraag.created_at < period.end,
            Vervangingsvraag.status != "geannuleerd",
        )
    ).all()
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"need": 0, "filled": 0, "hours": []})
    lead: dict[str, list[int]] = {
        "Zelfde dag": [0, 0],
        "1 dag vooraf": [0, 0],
        "2 of meer dagen vooraf": [0, 0],
    }
    for status, created, gevuld_at, datum_van, sub in rows:
        sub = sub or ONBEKEND
        if period.subregio and sub != period.subregio:
            continue
        if status == "open" and datum_van >= today:
            continue  # still being offered: not yet a success or a failure
        days = (datum_van - created.astimezone(LOCAL).date()).days
        bucket = "Zelfde dag" if days <= 0 else "1 dag vooraf" if days == 1 else "2 of meer dagen vooraf"
        # "afgerond" is a filled request whose days have passed (the invalpool keeps it as done).
        filled = status in ("gevuld", "afgerond") or gevuld_at is not None
        per[sub]["need"] += 1
        lead[bucket][0] += 1
        if filled:
            per[sub]["filled"] += 1
            lead[bucket][1] += 1
            if gevuld_at is not None:
                per[sub]["hours"].append((gevuld_at - created).total_seconds() / 3600)
    table = []
    all_hours: list[float] = []
    need = filled = 0
    for sub in sorted(per, key=lambda s: (s == ONBEKEND, names.get(s, s))):
        p = per[sub]
        need += p["need"]
        filled += p["filled"]
        all_hours += p["hours"]
        table.append(_invalpool_row(names.get(sub, sub), p["need"], p["filled"], p["hours"]))
    if len(table) > 1:
        table.append(_invalpool_row("Totaal", need, filled, all_hours))
    values = [(f"{label} ({n})", _pct(f, n)) for label, (n, f) in lead.items()]
    median = percentile(all_hours, 50)
    summary = f"{filled} van de {need} vervangingsvragen werden gevuld ({fmt(_pct(filled, need))} %)" + (
        f"; mediane tijd tot gevuld {fmt(round(median, 1))} uur." if median is not None else "."
    )
    return bar_chart(
        "invalpool",
        "Invalpool: vulgraad en tijd tot gevuld",
        summary,
        ["Subregio", "Vragen", "Gevuld", "Vulgraad (%)", "Mediaan uur tot gevuld", "90% binnen (uur)"],
        table,
        values,
        unit="%",
        maximum=100.0,
        note="Vulgraad per aanvraagtermijn in de grafiek; vragen die nog lopen tellen niet mee.",
    )


def starters(db: Session, ctx: AppContext, period: Period) -> Chart:
    """Every starter a coach: per bestuur listed, invited, reached, coached and the outcomes (all starters)."""
    from loket.starter.service import FIGURE_COLUMNS
    from loket.starter.service import figures as starter_figures

    rows, total = starter_figures(db_session=db)
    values = [("Op de lijst", float(total["lijst"])), ("Uitgenodigd", float(total["uitgenodigd"])),
              ("Bereikt", float(total["bereikt"])), ("Gecoacht", float(total["gecoacht"])),
              ("Blijft in het onderwijs", float(total["blijft"]))]
    summary = (f"{total['lijst']} starters op de lijst van de besturen: {total['uitgenodigd']} uitgenodigd, "
               f"{total['bereikt']} bereikt, {total['gecoacht']} gecoacht; {total['niet_bereikt']} niet bereikt.")
    return bar_chart("starters", "Iedere starter een coach", summary, list(FIGURE_COLUMNS), rows, values,
                     note="Alle starters op de lijsten, niet alleen die van deze periode.")


def _invalpool_row(label: str, need: int, filled: int, hours: list[float]) -> list[Any]:
    med, p90 = percentile(hours, 50), percentile(hours, 90)
    return [
        label,
        need,
        filled,
        _pct(filled, need),
        round(med, 1) if med is not None else "",
        round(p90, 1) if p90 is not None else "",
    ]


BUILDERS: dict[str, Callable[[Session, AppContext, Period], Chart]] = {
    "funnel": funnel,
    "afhaken": dropoff,
    "zij_instroom": zij_instroom,
    "loopbaangesprekken": loopbaangesprekken,
    "starters": starters,
    "invalpool": invalpool,
}


def dashboard(*, db_session: Session, ctx: AppContext, period: Period) -> list[Chart]:
    """Every chart of the dashboard for ``period``."""
    return [BUILDERS[name](db_session, ctx, period) for name in CHART_IDS]


def chart(*, db_session: Session, ctx: AppContext, period: Period, name: str) -> Chart | None:
    """One chart by id, or None for an unknown id."""
    build = BUILDERS.get(name)
    return build(db_session, ctx, period) if build else None
