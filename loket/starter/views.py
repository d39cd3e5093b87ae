"""Starters' pages: the bestuur's list (upload, add one, status per starter), the starter's answer page
behind the invitation link, and the coach's track (meetings, held, outcome) beside the gesprek."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from loket import clock
from loket.auth.deps import Allowed, CsrfChecked
from loket.bestuur import service as bestuur_service
from loket.console.tables import SheetError, read_rows, to_csv
from loket.console.web import download
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import day_text, text
from loket.medewerker.models import Medewerker
from loket.pages import render
from loket.starter import service
from loket.starter.models import OUTCOME_LABELS, Starter

router = APIRouter(include_in_schema=False)
Manager = Annotated[Medewerker, Depends(Allowed("starter.manage"))]
CoachAccount = Annotated[Medewerker, Depends(Allowed("loopbaangesprek.respond"))]
MAX_UPLOAD = 5 * 1024 * 1024
STATUS_LABELS = {"nieuw": "Nog niet uitgenodigd", "uitgenodigd": "Uitgenodigd", "herinnerd": "Herinnerd",
                 "niet_bereikt": "Niet bereikt", "geaccepteerd": "Wil een coach", "geweigerd": "Nee, dank je"}


def _bestuur(db: Any, account: Medewerker, wanted: str) -> str | None:
    scope = bestuur_service.scope_of(account)
    if scope is not None:
        return scope
    ids = [b.id for b in bestuur_service.participating(db_session=db)]
    return wanted[:64] if wanted[:64] in ids else (ids[0] if ids else None)


def _list_page(request: Request, account: Medewerker, bestuur_id: str | None, status_code: int = 200,
               **extra: Any) -> Response:
    with request.app.state.ctx.sessions() as db:
        starters = service.list_for(db_session=db, bestuur_id=bestuur_id)
        schools = bestuur_service.schools(db_session=db, bestuur_id=bestuur_id) if bestuur_id else []
        bestuur = bestuur_service.get(db_session=db, bestuur_id=bestuur_id) if bestuur_id else None
        besturen = bestuur_service.participating(db_session=db) if bestuur_service.scope_of(account) is None else []
        rows, total = service.figures(db_session=db, bestuur_id=bestuur_id)
    return render(request, "bestuur/starters.html", status_code=status_code, starters=starters, schools=schools,
                  bestuur=bestuur, besturen=besturen, labels=STATUS_LABELS, outcomes=OUTCOME_LABELS,
                  school_names={s.id: s.naam for s in schools}, columns=service.COLUMNS, total=total, **extra)


@router.get("/bestuur/starters", response_class=HTMLResponse)
def starters_page(request: Request, account: Manager, bestuur: str = "") -> Response:
    with request.app.state.ctx.sessions() as db:
        bestuur_id = _bestuur(db, account, bestuur)
    return _list_page(request, account, bestuur_id)


@router.get("/bestuur/starters/sjabloon.csv")
def starters_template(account: Manager) -> Response:
    return download(to_csv(service.COLUMNS, [["Sanne de Boer", "sanne@school.nl", "", "OBS De Regenboog",
                                              "2026-08-24", "2026", "leerkracht"]]), "starters-sjabloon.csv")


@router.post("/bestuur/starters", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def starters_add(request: Request, account: Manager) -> Response:
    form = await request.form()
    upload = form.get("bestand")
    with request.app.state.ctx.sessions() as db:
        bestuur_id = _bestuur(db, account, str(form.get("bestuur", "")))
    if bestuur_id is None:
        return _list_page(request, account, None, status_code=404)
    try:
        if upload is not None and hasattr(upload, "read") and getattr(upload, "filename", ""):
            content = await upload.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                raise SheetError("Het bestand is groter dan 5 MB.")
            rows = read_rows(upload.filename, content)
        else:
            rows = [{k: form.get(k, "") for k in service.COLUMNS}]
    except SheetError as exc:
        report = service.ImportReport(errors=[(0, str(exc))])
        return _list_page(request, account, bestuur_id, status_code=422, report=report)
    with transaction(request.app.state.ctx.sessions) as db:
        report = service.import_starters(db_session=db, bestuur_id=bestuur_id, rows=rows,
                                         actor=f"medewerker:{account.id}")
    return _list_page(request, account, bestuur_id, status_code=200 if report.ok else 422, report=report)


# ------------------------------------------------------------------------------------------ the starter


def _answer_page(request: Request, starter: Starter | None, status_code: int = 200, **extra: Any) -> Response:
    if starter is None:
        return render(request, "message.html", status_code=404, heading="Deze link werkt niet (meer)",
                      message="Misschien heb je al geantwoord of is de link vervangen door een nieuwere. "
                              "Vraag het loket als je een coach wilt.")
    return render(request, "starter/antwoord.html", status_code=status_code, starter=starter, **extra)


@router.get("/starter/{token}", response_class=HTMLResponse)
def answer_page(request: Request, token: str) -> Response:
    with request.app.state.ctx.sessions() as db:
        return _answer_page(request, service.by_token(db_session=db, token=token), token=token)


@router.post("/starter/{token}/{choice}", response_class=HTMLResponse)
def answer(request: Request, token: str, choice: str) -> Response:
    ctx = request.app.state.ctx
    if choice not in ("ja", "nee", "vergeet"):
        return _answer_page(request, None)
    try:
        with transaction(ctx.sessions) as db:
            starter = service.by_token(db_session=db, token=token)
            if starter is None:
                return _answer_page(request, None)
            if choice == "ja":
                day = service.accept(ctx=ctx, db_session=db, starter=starter)
                return _answer_page(request, starter, token=token, done="ja",
                                    day=day_text(day, "nl") if day else None)
            if choice == "nee":
                service.decline(db_session=db, starter=starter)
                return _answer_page(request, starter, token=token, done="nee")
            service.forget(db_session=db, starter=starter, actor=f"starter:{starter.id}")
            return render(request, "message.html", heading="Je gegevens zijn verwijderd",
                          message="We hebben je naam en contactgegevens gewist. Je krijgt geen berichten meer.")
    except LoketError as exc:
        with ctx.sessions() as db:
            return _answer_page(request, service.by_token(db_session=db, token=token), status_code=exc.status_code,
                                token=token, error=text(exc.key, "nl", **exc.values))


# ------------------------------------------------------------------------------------------ the coach's track


def _coach_starter(db: Any, account: Medewerker, starter_id: str) -> tuple[Starter, Any]:
    from loket.coach.models import Coach
    from loket.loopbaangesprek.models import Loopbaangesprek

    starter = db.get(Starter, starter_id[:32])
    gesprek = db.get(Loopbaangesprek, starter.gesprek_id) if starter and starter.gesprek_id else None
    if starter is None or gesprek is None or gesprek.coach_id != account.coach_id:
        raise LoketError(404, "not_found")
    coach = db.get(Coach, gesprek.coach_id)
    return starter, coach


def _track_page(request: Request, account: Medewerker, starter_id: str, status_code: int = 200,
                **extra: Any) -> Response:
    with request.app.state.ctx.sessions() as db:
        starter, coach = _coach_starter(db, account, starter_id)
        planned = service.meetings(db_session=db, starter_id=starter.id)
    return render(request, "starter/traject.html", status_code=status_code, starter=starter, coach=coach,
                  meetings=planned, outcomes=OUTCOME_LABELS, local=lambda m: m.astimezone(service.LOCAL), **extra)


@router.get("/coach/starters/{starter_id}", response_class=HTMLResponse)
def track(request: Request, starter_id: str, account: CoachAccount) -> Response:
    try:
        return _track_page(request, account, starter_id)
    except LoketError:
        return render(request, "message.html", status_code=404, heading="Niet gevonden",
                      message="Deze starter hoort niet bij jouw gesprekken.")


def _moments(raw: str) -> list[datetime]:
    out = []
    for line in raw.replace(",", "\n").splitlines():
        line = line.strip()
        if line:
            try:
                moment = datetime.fromisoformat(line.replace(" ", "T"))
            except ValueError:
                raise LoketError(422, "starter_afspraken") from None
            out.append(moment.replace(tzinfo=service.LOCAL) if moment.tzinfo is None else moment)
    return out


@router.post("/coach/starters/{starter_id}/{action}", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def track_action(request: Request, starter_id: str, action: str, account: CoachAccount) -> Response:
    form = await request.form()
    ctx = request.app.state.ctx
    try:
        with transaction(ctx.sessions) as db:
            starter, coach = _coach_starter(db, account, starter_id)
            actor = f"medewerker:{account.id}"
            if action == "plannen":
                moments = _moments(str(form.get("momenten", "")))
                if any(m < clock.now() for m in moments):
                    raise LoketError(422, "starter_afspraken")
                service.plan(ctx=ctx, db_session=db, starter=starter, moments=moments, coach=coach, actor=actor)
            elif action == "gehouden":
                service.mark_held(db_session=db, starter=starter, afspraak_id=str(form.get("afspraak", "")),
                                  actor=actor)
            elif action == "afsluiten":
                service.close(db_session=db, starter=starter, outcome=str(form.get("uitkomst", "")), actor=actor)
            else:
                raise LoketError(404, "not_found")
    except LoketError as exc:
        if exc.key == "not_found":
            return render(request, "message.html", status_code=404, heading="Niet gevonden",
                          message="Deze starter hoort niet bij jouw gesprekken.")
        return _track_page(request, account, starter_id, status_code=exc.status_code,
                           error=text(exc.key, "nl", **exc.values))
    return _track_page(request, account, starter_id, flash="Opgeslagen.")
