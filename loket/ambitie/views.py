"""The ambitieafspraken monitor in the console (``/console/ambities``), its imports, the target editor, the
yearly report (xlsx and a printable page) and the JSON (``GET /api/v1/ambities``).

Coordinators and beheerders see everything; a bestuur sees the region totals only (no split per subregio);
a beheerder edits targets; staff import actuals and write the explanation per topic and year.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from loket import clock
from loket.ambitie import report, service
from loket.ambitie.models import REGIO, Ambitie
from loket.auth.deps import Allowed, CsrfChecked
from loket.console.tables import SheetError, read_rows, to_csv, to_xlsx
from loket.console.web import ctx_of, download, page, redirect
from loket.db import transaction
from loket.medewerker.models import Medewerker

router = APIRouter(prefix="/console/ambities", tags=["console"], include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["ambities"])

Viewer = Annotated[Medewerker, Depends(Allowed("ambitie.view"))]
Editor = Annotated[Medewerker, Depends(Allowed("ambitie.edit"))]
Keeper = Annotated[Medewerker, Depends(Allowed("ambitie.import"))]
MAX_UPLOAD = 5 * 1024 * 1024


def _year(raw: str | int | None) -> int:
    try:
        year = int(str(raw or "").strip()[:4])
    except ValueError:
        year = 0
    return year if year in service.YEARS else clock.now().year


def _missing(request: Request) -> Response:
    return page(request, "message.html", status_code=404, heading="Niet gevonden", message="Die ambitie is er niet.")


def _with_subregios(account: Medewerker) -> bool:
    return account.rol != "bestuur"  # a bestuur sees the region totals only


def _subregios(request: Request) -> dict[str, str]:
    return {s.id: s.name for s in ctx_of(request).knowledge.region.subregios}


def _chart(block: service.Block, width: int = 560, height: int = 220) -> dict[str, Any]:
    """SVG coordinates: the straight line nulmeting -> 2029 target, the yearly targets and the actuals."""
    a = block.ambitie
    years = [r["jaar"] for r in block.years]
    values = [v for r in block.years for v in (r["doel"], r["lijn"], r["realisatie"]) if v is not None]
    values.append(a.nulmeting_waarde)
    low, high = min(values + [0.0]), max(values) or 1.0
    pad_l, pad_r, pad_t, pad_b = 56, 16, 16, 32

    def x(year: int) -> float:
        span = max(years[-1] - years[0], 1)
        return round(pad_l + (width - pad_l - pad_r) * (year - years[0]) / span, 1)

    def y(value: float) -> float:
        return round(pad_t + (height - pad_t - pad_b) * (1 - (value - low) / ((high - low) or 1)), 1)

    final = service.target(a, service.FINAL_YEAR)
    return {
        "width": width, "height": height,
        "line": [(x(a.nulmeting_jaar), y(a.nulmeting_waarde)), (x(service.FINAL_YEAR), y(final))] if final is not None
        else [],
        "targets": [(x(r["jaar"]), y(r["doel"]), r["jaar"]) for r in block.years if r["doel"] is not None],
        "actuals": [(x(r["jaar"]), y(r["realisatie"])) for r in block.years if r["realisatie"] is not None],
        "baseline": (x(a.nulmeting_jaar), y(a.nulmeting_waarde)),
        "ticks": [(x(yr), yr) for yr in years], "axis_y": height - pad_b,
        "labels": [(y(v), service_fmt(v)) for v in sorted({low, high})],
    }


def service_fmt(value: float | None) -> str:
    from loket.console.charts import fmt

    return "—" if value is None else fmt(round(value, 1))


def _blocks(request: Request, account: Medewerker, year: int) -> list[service.Block]:
    with ctx_of(request).sessions() as db:
        return service.blocks(db_session=db, ctx=ctx_of(request), year=year, with_subregios=_with_subregios(account))


@router.get("", response_class=HTMLResponse)
def monitor(request: Request, account: Viewer, jaar: str = "") -> Response:
    year = _year(jaar)
    found = _blocks(request, account, year)
    return page(request, "console/ambities.html", blocks=found, charts={b.ambitie.id: _chart(b) for b in found},
                jaar=year, years=list(service.YEARS), rule=service.STATUS_RULE, labels=service.STATUS_LABELS,
                fmt=service_fmt, can_edit=account.rol == "beheerder",
                can_keep=account.rol in ("coordinator", "beheerder"), with_subregios=_with_subregios(account))


@router.post("/herberekenen", dependencies=[CsrfChecked])
def recompute(request: Request, account: Keeper) -> Response:
    with transaction(ctx_of(request).sessions) as db:
        count = service.recompute(db_session=db, ctx=ctx_of(request))
    request.session["flash"] = f"De cijfers uit het loket zijn opnieuw berekend ({count} waarden)."
    return redirect("/console/ambities")


@router.post("/toelichting", dependencies=[CsrfChecked])
async def explain(request: Request, account: Keeper) -> Response:
    form = await request.form()
    code, year = str(form.get("code", ""))[:16], _year(str(form.get("jaar", "")))
    if service.valid_code(code):
        with transaction(ctx_of(request).sessions) as db:
            service.set_explanation(db_session=db, code=code, year=year, text=str(form.get("tekst", "")),
                                    actor=f"medewerker:{account.id}")
        request.session["flash"] = f"De toelichting bij {code} ({year}) is bewaard."
    return redirect(f"/console/ambities?jaar={year}#ambitie-{code}")


@router.get("/{ambitie_id}.csv")
def block_csv(request: Request, ambitie_id: str, account: Viewer, jaar: str = "") -> Response:
    year = _year(jaar)
    block = next((b for b in _blocks(request, account, year) if b.ambitie.id == ambitie_id[:32]), None)
    if block is None:
        return _missing(request)
    rows = [[r["jaar"], r["doel"], r["lijn"] and round(r["lijn"], 2), r["realisatie"],
             service.STATUS_LABELS[r["status"]], r["bron"]] for r in block.years]
    return download(to_csv(["Jaar", "Doel", "Rechte lijn", "Realisatie", "Status", "Bron"], rows),
                    f"ambitie-{block.ambitie.code}.csv")


# ------------------------------------------------------------------------------------------ targets


def _form_values(form: Any, subregios: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    values: dict[str, Any] = {}
    naam = " ".join(str(form.get("naam", "")).split())
    if not 1 <= len(naam) <= 300:
        errors.append("Geef de ambitie een naam (hoogstens 300 tekens).")
    values["naam"] = naam
    eenheid = str(form.get("eenheid", ""))
    if eenheid not in service.UNITS:
        errors.append("Kies een eenheid uit de lijst.")
    values["eenheid"] = eenheid
    richting = str(form.get("richting", ""))
    if richting not in ("hoger", "lager"):
        errors.append("Kies of hoger of lager beter is.")
    values["richting"] = richting
    scope = str(form.get("scope", REGIO))
    if scope != REGIO and scope not in subregios:
        errors.append("Kies de hele regio of een subregio.")
    values["scope"] = scope
    base = service._number(form.get("nulmeting_waarde"))
    base_year = service._number(form.get("nulmeting_jaar"))
    if base is None:
        errors.append("De nulmeting moet een getal zijn.")
    if base_year is None or int(base_year) not in range(2015, 2030):
        errors.append("Het jaar van de nulmeting ligt tussen 2015 en 2029.")
    values["nulmeting_waarde"] = base if base is not None else 0.0
    values["nulmeting_jaar"] = int(base_year) if base_year is not None else 2025
    values["nulmeting_bron"] = str(form.get("nulmeting_bron", "")).strip()[:300]
    doelen = {}
    for year in service.TARGET_YEARS:
        raw = str(form.get(f"doel_{year}", "")).strip()
        if raw:
            number = service._number(raw)
            if number is None:
                errors.append(f"Het doel voor {year} moet een getal zijn.")
            else:
                doelen[str(year)] = number
    if str(service.FINAL_YEAR) not in doelen:
        errors.append("Vul in elk geval het doel voor 2029 in.")
    values["doelen"] = doelen
    values["eigenaar"] = str(form.get("eigenaar", "")).strip()[:200]
    values["activiteiten"] = [line.strip()[:300] for line in str(form.get("activiteiten", "")).splitlines()
                              if line.strip()][:30]
    return values, errors


@router.get("/{ambitie_id}/bewerken", response_class=HTMLResponse)
def edit_form(request: Request, ambitie_id: str, account: Editor) -> Response:
    with ctx_of(request).sessions() as db:
        ambitie = db.get(Ambitie, ambitie_id[:32])
    if ambitie is None:
        return _missing(request)
    return page(request, "console/ambitie_edit.html", a=ambitie, subregios=_subregios(request), units=service.UNITS,
                target_years=service.TARGET_YEARS, errors=[], form=None)


@router.post("/{ambitie_id}/bewerken", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def edit(request: Request, ambitie_id: str, account: Editor) -> Response:
    form = await request.form()
    values, errors = _form_values(form, _subregios(request))
    with transaction(ctx_of(request).sessions) as db:
        ambitie = db.get(Ambitie, ambitie_id[:32])
        if ambitie is None:
            return _missing(request)
        if errors:
            return page(request, "console/ambitie_edit.html", status_code=422, a=ambitie, subregios=_subregios(request),
                        units=service.UNITS, target_years=service.TARGET_YEARS, errors=errors, form=dict(form))
        service.update_targets(db_session=db, ambitie=ambitie, values=values, actor=f"medewerker:{account.id}")
        code = ambitie.code
    request.session["flash"] = f"De ambitie {code} is bijgewerkt."
    return redirect(f"/console/ambities#ambitie-{code}")


# ------------------------------------------------------------------------------------------ import


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, account: Keeper) -> Response:
    return page(request, "console/ambities_import.html", report=None, subregios=_subregios(request),
                columns=service.IMPORT_COLUMNS)


@router.get("/import/sjabloon.{kind}")
def template(request: Request, kind: str, account: Keeper) -> Response:
    if kind == "xlsx":
        return download(to_xlsx([("realisaties", service.IMPORT_COLUMNS, service.TEMPLATE_ROWS)]),
                        "ambities-sjabloon.xlsx")
    return download(to_csv(service.IMPORT_COLUMNS, service.TEMPLATE_ROWS), "ambities-sjabloon.csv")


@router.post("/import", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def import_file(request: Request, account: Keeper) -> Response:
    form = await request.form()
    upload = form.get("bestand")
    report_ = service.ImportReport()
    content = await upload.read(MAX_UPLOAD + 1) if upload is not None and hasattr(upload, "read") else b""
    name = getattr(upload, "filename", "") or ""
    try:
        if not content:
            raise SheetError("Kies een bestand (.csv of .xlsx).")
        if len(content) > MAX_UPLOAD:
            raise SheetError("Het bestand is groter dan 5 MB.")
        rows = read_rows(name, content)
    except SheetError as exc:
        report_.errors.append((0, str(exc)))
        return page(request, "console/ambities_import.html", status_code=422, report=report_,
                    subregios=_subregios(request), columns=service.IMPORT_COLUMNS)
    with transaction(ctx_of(request).sessions) as db:
        report_ = service.import_actuals(db_session=db, rows=rows, subregios=set(_subregios(request)),
                                         actor=f"medewerker:{account.id}")
        if not report_.ok:
            db.rollback()
    return page(request, "console/ambities_import.html", status_code=200 if report_.ok else 422, report=report_,
                subregios=_subregios(request), columns=service.IMPORT_COLUMNS)


# ------------------------------------------------------------------------------------------ report and JSON


@router.get("/rapportage.xlsx")
def report_xlsx(request: Request, account: Viewer, jaar: str = "") -> Response:
    year = _year(jaar)
    return download(report.workbook(_blocks(request, account, year), year), f"ambitieafspraken-{year}.xlsx")


@router.get("/rapportage", response_class=HTMLResponse)
def report_page(request: Request, account: Viewer, jaar: str = "") -> Response:
    year = _year(jaar)
    return page(request, "console/ambities_rapport.html", blocks=_blocks(request, account, year), jaar=year,
                rule=service.STATUS_RULE, labels=service.STATUS_LABELS, fmt=service_fmt,
                today=clock.now().date(), with_subregios=_with_subregios(account))


StaffOnly = Annotated[Medewerker, Depends(Allowed("ambitie.api"))]


@api.get("/ambities", summary="The ambitieafspraken: targets, actuals and status per topic (staff only)")
def ambities_json(request: Request, account: StaffOnly,
                  jaar: Annotated[int | None, Query(ge=2020, le=2030, description="The year; this year if empty.")]
                  = None) -> dict[str, Any]:
    """The same figures as the monitor: per ambition its target per year, the straight line, the actual,
    the status by the rule in ``regel``, and the split per subregio."""
    year = jaar or clock.now().year
    out = []
    for b in _blocks(request, account, year):
        a = b.ambitie
        out.append({"id": a.id, "code": a.code, "onderwerp": b.topic, "naam": a.naam, "eenheid": a.eenheid,
                    "richting": a.richting, "scope": a.scope,
                    "nulmeting": {"waarde": a.nulmeting_waarde, "jaar": a.nulmeting_jaar, "bron": a.nulmeting_bron},
                    "doelen": a.doelen, "eigenaar": a.eigenaar, "activiteiten": a.activiteiten,
                    "status": b.status, "realisatie": b.actual, "bron": b.source, "berekening": b.computed_how,
                    "toelichting": b.explanation,
                    "jaren": [{**r, "peildatum": r["peildatum"].isoformat() if isinstance(r["peildatum"], date)
                               else None} for r in b.years],
                    "subregios": b.subregios})
    return {"jaar": year, "regel": service.STATUS_RULE, "ambities": out}
