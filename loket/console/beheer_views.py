"""Console pages for vacatures and invallers: list, create, edit, import (CSV/Excel) with a row report.

The edit form and the import share one check (``loket.console.imports``), so a value that a form
refuses is refused in a file too, with the same words.
"""

# No "from __future__ import annotations": the routes are made in a loop, and FastAPI must see the
# per-kind dependency objects in their annotations at definition time.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from loket.auth.deps import Allowed, CsrfChecked
from loket.console import beheer
from loket.console.imports import INVALLER_COLUMNS, VACATURE_COLUMNS
from loket.console.tables import SheetError, read_rows, to_csv
from loket.console.web import ctx_of, download, flash, ip_of, not_found, page, redirect
from loket.db import transaction
from loket.medewerker.models import Medewerker

router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)

KIND = {
    "vacatures": {
        "columns": VACATURE_COLUMNS,
        "edit": "vacature.edit",
        "import": "vacature.import",
        "title": "Vacatures",
        "one": "vacature",
    },
    "invallers": {
        "columns": INVALLER_COLUMNS,
        "edit": "invaller.edit",
        "import": "invaller.edit",
        "title": "Invallers",
        "one": "invaller",
    },
}
# Form fields of the edit pages, in order, with their labels and hints.
FIELDS = {
    "vacatures": [
        ("school_id", "School (id, bijvoorbeeld school-00001)"),
        ("titel", "Titel"),
        ("rol", "Rol"),
        ("sector", "Sector (po, so, vo of mbo)"),
        ("vak", "Vak (als het om een vak gaat)"),
        ("uren_per_week", "Uren per week"),
        ("vereist", "Vereiste bevoegdheid"),
        ("zij_instroom_mogelijk", "Zij-instroom mogelijk (ja of nee)"),
        ("omschrijving", "Omschrijving"),
        ("status", "Status (open of gesloten)"),
        ("sluit_op", "Sluit op (datum)"),
    ],
    "invallers": [
        ("naam", "Naam"),
        ("email", "E-mailadres"),
        ("telefoon", "Telefoon"),
        ("plaats", "Woonplaats"),
        ("bevoegdheden", "Bevoegdheden (met komma's)"),
        ("groepen", "Groepen (1-2, 3-4, 5-6, 7-8)"),
        ("max_afstand_km", "Maximale reisafstand (km)"),
        ("tier", "Tier (1, 2 of 3)"),
        ("vog_geldig_tot", "VOG geldig tot"),
        ("id_geldig_tot", "ID geldig tot"),
    ],
}
_MODEL = {kind: beheer.KINDS[kind][0] for kind in KIND}


def _edit_page(
    request: Request, kind: str, values: dict[str, Any], row_id: str | None, problems: list[str] | None = None
) -> Response:
    from matching.vacatures import REQUIRES, ROLES, SECTORS

    return page(
        request,
        "console/edit.html",
        status_code=422 if problems else 200,
        kind=kind,
        spec=KIND[kind],
        fields=FIELDS[kind],
        values=values,
        row_id=row_id,
        problems=problems or [],
        choices={"rol": ROLES, "sector": SECTORS, "vereist": REQUIRES, "status": ("open", "gesloten")},
    )


async def _save(request: Request, kind: str, row_id: str | None, account: Medewerker) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, ""))[:6000] for name, _label in FIELDS[kind]}
    if row_id:
        values["id"] = row_id
    from starlette.concurrency import run_in_threadpool

    def write() -> tuple[list[str], str | None]:
        with transaction(ctx_of(request).sessions) as db:
            if row_id and db.get(_MODEL[kind], row_id) is None:
                return ["Deze regel bestaat niet meer."], None
            report = beheer.check(db_session=db, kind=kind, rows=[values])[0]
            if not report.ok:
                return report.problems, None
            row = beheer.save(
                db_session=db,
                kind=kind,
                values=report.values,
                account=account,
                action="edit" if row_id else "create",
                ip=ip_of(request),
            )
            return [], row.id

    problems, saved_id = await run_in_threadpool(write)
    if problems:
        return _edit_page(request, kind, values, row_id, problems)
    if kind == "vacatures":
        from loket.advies.service import invalidate

        invalidate(ctx_of(request))
    flash(request, "Opgeslagen.")
    return redirect(f"/console/{kind}/{saved_id}")


def _register(kind: str) -> None:
    """The pages of one kind under fixed paths (no catch-all, so other /console pages are never shadowed)."""
    spec = KIND[kind]
    can_edit = Allowed(spec["edit"])
    can_import = Allowed(spec["import"])

    @router.get(f"/{kind}", response_class=HTMLResponse, name=f"{kind}_list")
    def listing(
        request: Request, account: Annotated[Medewerker, Depends(Allowed("console.view"))], q: str = ""
    ) -> Response:
        from loket.auth.policy import allowed

        with transaction(ctx_of(request).sessions) as db:
            rows = beheer.listing(db_session=db, kind=kind, q=q)
        return page(
            request,
            f"console/{kind}.html",
            rows=rows,
            q=q[:100],
            kind=kind,
            spec=spec,
            can_edit=allowed(account.rol, spec["edit"]),
            can_import=allowed(account.rol, spec["import"]),
        )

    @router.get(f"/{kind}/voorbeeld.csv", name=f"{kind}_example")
    def example(_: Annotated[Medewerker, Depends(can_import)]) -> Response:
        return download(to_csv(spec["columns"], []), f"{kind}-voorbeeld.csv")

    @router.get(f"/{kind}/import", response_class=HTMLResponse, name=f"{kind}_import_form")
    def import_form(request: Request, _: Annotated[Medewerker, Depends(can_import)]) -> Response:
        return page(request, "console/import.html", kind=kind, spec=spec, reports=None)

    @router.post(
        f"/{kind}/import", response_class=HTMLResponse, dependencies=[CsrfChecked], name=f"{kind}_import"
    )
    async def import_file(
        request: Request,
        account: Annotated[Medewerker, Depends(can_import)],
        bestand: Annotated[UploadFile, File()],
        alleen_goede: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        content = await bestand.read()
        try:
            rows = read_rows(bestand.filename or "", content)
        except SheetError as exc:
            return page(
                request,
                "console/import.html",
                status_code=422,
                kind=kind,
                spec=spec,
                reports=None,
                error=str(exc),
            )
        from starlette.concurrency import run_in_threadpool

        def write() -> tuple[list[Any], int]:
            with transaction(ctx_of(request).sessions) as db:
                reports = beheer.check(db_session=db, kind=kind, rows=rows)
                written = beheer.import_rows(
                    db_session=db,
                    kind=kind,
                    reports=reports,
                    account=account,
                    only_good=alleen_goede == "ja",
                    ip=ip_of(request),
                )
                return reports, written

        reports, written = await run_in_threadpool(write)
        if written and kind == "vacatures":
            from loket.advies.service import invalidate

            invalidate(ctx_of(request))
        bad = [r for r in reports if not r.ok]
        return page(
            request,
            "console/import.html",
            status_code=422 if bad and not written else 200,
            kind=kind,
            spec=spec,
            reports=reports,
            bad=len(bad),
            written=written,
            only_good=alleen_goede == "ja",
        )

    @router.get(f"/{kind}/nieuw", response_class=HTMLResponse, name=f"{kind}_new_form")
    def new_form(request: Request, _: Annotated[Medewerker, Depends(can_edit)]) -> Response:
        defaults = {
            "sector": "po",
            "vereist": "po_bevoegdheid",
            "status": "open",
            "tier": 1,
            "max_afstand_km": 25,
        }
        return _edit_page(request, kind, defaults, None)

    @router.post(
        f"/{kind}/nieuw", response_class=HTMLResponse, dependencies=[CsrfChecked], name=f"{kind}_create"
    )
    async def create(request: Request, account: Annotated[Medewerker, Depends(can_edit)]) -> Response:
        return await _save(request, kind, None, account)

    @router.get(f"/{kind}/{{row_id}}", response_class=HTMLResponse, name=f"{kind}_edit_form")
    def edit_form(request: Request, row_id: str, _: Annotated[Medewerker, Depends(can_edit)]) -> Response:
        with transaction(ctx_of(request).sessions) as db:
            row = db.get(_MODEL[kind], row_id[:64])
            if row is None:
                return not_found(request, f"Deze {spec['one']}")
            values = beheer.as_form(row, kind, db)
        return _edit_page(request, kind, values, row.id)

    @router.post(
        f"/{kind}/{{row_id}}", response_class=HTMLResponse, dependencies=[CsrfChecked], name=f"{kind}_edit"
    )
    async def edit(
        request: Request, row_id: str, account: Annotated[Medewerker, Depends(can_edit)]
    ) -> Response:
        return await _save(request, kind, row_id[:64], account)


for _name in KIND:
    _register(_name)
