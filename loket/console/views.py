"""The console's pages: dashboard, review queue, kandidaten, handoff inbox and the audit log.

Every route names its action from ``loket.auth.policy.PERMISSIONS``; every form post checks CSRF; every
look at or change of personal data is written to the audit log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from loket import clock
from loket.audit.models import AuditEvent
from loket.auth.deps import Allowed, CsrfChecked
from loket.console import contact, figures, kandidaten, review
from loket.console.figures import LOCAL, PeriodError
from loket.console.models import Opvolging
from loket.console.tables import to_csv, to_xlsx
from loket.console.web import ctx_of, download, flash, ip_of, not_found, page, redirect
from loket.db import transaction
from loket.kandidaat.models import FASEN
from loket.medewerker.models import Medewerker

router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)


def _subregios(request: Request) -> list[tuple[str, str]]:
    return [(s.id, s.name) for s in ctx_of(request).knowledge.region.subregios]


# ------------------------------------------------------------------------------------------ dashboard


@router.get("", response_class=HTMLResponse)
def dashboard(
    request: Request,
    account: Annotated[Medewerker, Depends(Allowed("dashboard.view"))],
    van: str = "",
    tot: str = "",
    subregio: str = "",
) -> Response:
    ctx = ctx_of(request)
    today = clock.now().astimezone(LOCAL).date()
    error = None
    try:
        period = figures.parse_period(
            van[:10], tot[:10], subregio[:64], today=today, subregios={s for s, _ in _subregios(request)}
        )
    except PeriodError as exc:
        error = str(exc)
        period = figures.parse_period(None, None, None, today=today, subregios=set())
    with transaction(ctx.sessions) as db:
        charts = figures.dashboard(db_session=db, ctx=ctx, period=period)
        open_reviews = review.open_count(db_session=db)
        inbox = contact.inbox(db_session=db)
        now = clock.now()
        late = sum(1 for v, _ in inbox if contact.sla(v, now).late)
        follow_ups = db.scalars(
            select(Opvolging)
            .where(Opvolging.status == "gepland", Opvolging.medewerker_id == account.id)
            .order_by(Opvolging.due_at)
            .limit(20)
        ).all()
    query = f"van={period.van.isoformat()}&tot={period.tot.isoformat()}" + (
        f"&subregio={period.subregio}" if period.subregio else ""
    )
    return page(
        request,
        "console/dashboard.html",
        charts=charts,
        period=period,
        error=error,
        subregios=_subregios(request),
        open_reviews=open_reviews,
        open_contacts=len(inbox),
        late=late,
        follow_ups=follow_ups,
        query=query,
    )


@router.get("/cijfers/{name}.csv")
def chart_csv(
    request: Request,
    name: str,
    _: Annotated[Medewerker, Depends(Allowed("dashboard.view"))],
    van: str = "",
    tot: str = "",
    subregio: str = "",
) -> Response:
    ctx = ctx_of(request)
    today = clock.now().astimezone(LOCAL).date()
    try:
        period = figures.parse_period(
            van[:10], tot[:10], subregio[:64], today=today, subregios={s for s, _ in _subregios(request)}
        )
    except PeriodError as exc:
        return Response(str(exc), status_code=422, media_type="text/plain; charset=utf-8")
    with transaction(ctx.sessions) as db:
        chart = figures.chart(db_session=db, ctx=ctx, period=period, name=name[:40])
    if chart is None:
        return not_found(request, "Deze grafiek")
    return download(to_csv(chart.columns, chart.rows), f"{chart.id}_{period.van}_{period.tot}.csv")


# ------------------------------------------------------------------------------------------ review queue


@router.get("/beoordelen", response_class=HTMLResponse)
def review_queue(
    request: Request,
    _: Annotated[Medewerker, Depends(Allowed("match.review"))],
    soort: str = "",
    status: str = "voorgesteld",
) -> Response:
    ctx = ctx_of(request)
    status = status if status in review.STATUS_LABELS else "voorgesteld"
    with transaction(ctx.sessions) as db:
        items = [
            {
                "match": m,
                "kandidaat": k,
                "naam": kandidaten.display_name(k) if k else "—",
                "voorstel": review.label_of(
                    db_session=db, ctx=ctx, soort=m.soort, onderwerp_id=m.onderwerp_id
                ),
            }
            for m, k in review.queue(db_session=db, soort=soort or None, status=status)
        ]
    return page(
        request,
        "console/review_queue.html",
        items=items,
        soort=soort,
        status=status,
        soorten=review.SOORT_LABELS,
        statussen=review.STATUS_LABELS,
    )


def _export(request: Request, fmt: str, status: str, soort: str) -> Response:
    ctx = ctx_of(request)
    with transaction(ctx.sessions) as db:
        rows = review.export_rows(db_session=db, ctx=ctx, status=status or None, soort=soort or None)
    stamp = clock.now().astimezone(LOCAL).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        return download(to_xlsx([("Matches", review.EXPORT_COLUMNS, rows)]), f"matches-{stamp}.xlsx")
    return download(to_csv(review.EXPORT_COLUMNS, rows), f"matches-{stamp}.csv")


@router.get("/beoordelen/export.xlsx")
def export_xlsx(
    request: Request,
    _: Annotated[Medewerker, Depends(Allowed("match.export"))],
    status: str = "",
    soort: str = "",
) -> Response:
    return _export(request, "xlsx", status, soort)


@router.get("/beoordelen/export.csv")
def export_csv(
    request: Request,
    _: Annotated[Medewerker, Depends(Allowed("match.export"))],
    status: str = "",
    soort: str = "",
) -> Response:
    return _export(request, "csv", status, soort)


@router.get("/beoordelen/beoordelingen.{fmt}")
def labelled_export(
    request: Request, fmt: str, account: Annotated[Medewerker, Depends(Allowed("match.export"))]
) -> Response:
    if fmt not in ("csv", "xlsx"):
        return not_found(request, "Dit bestandstype")
    ctx = ctx_of(request)
    slots = [s.slot for s in ctx.knowledge.intake_flow.slots]
    with transaction(ctx.sessions) as db:
        columns, rows = review.labelled_rows(db_session=db, slots=slots)
        from loket.audit.service import record

        record(
            db_session=db,
            actor=f"medewerker:{account.id}",
            action="match.export_labels",
            object_type="match",
            detail={"rijen": len(rows)},
            ip=ip_of(request),
        )
    if fmt == "xlsx":
        return download(to_xlsx([("Beoordelingen", columns, rows)]), "beoordelingen.xlsx")
    return download(to_csv(columns, rows), "beoordelingen.csv")


@router.get("/beoordelen/{match_id}", response_class=HTMLResponse)
def review_item(
    request: Request, match_id: str, account: Annotated[Medewerker, Depends(Allowed("match.review"))]
) -> Response:
    return _review_page(request, match_id, account)


def _review_page(
    request: Request,
    match_id: str,
    account: Medewerker,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ctx = ctx_of(request)
    with transaction(ctx.sessions) as db:
        match = review.get(db_session=db, match_id=match_id)
        if match is None:
            return not_found(request, "Dit voorstel")
        detail = (
            kandidaten.detail(db_session=db, ctx=ctx, kandidaat_id=match.kandidaat_id)
            if match.kandidaat_id
            else None
        )
        if detail is not None:
            kandidaten.record_view(
                db_session=db, account=account, kandidaat_id=detail.kandidaat.id, ip=ip_of(request)
            )
        context = {
            "match": match,
            "detail": detail,
            "naam": kandidaten.display_name(detail.kandidaat) if detail else "—",
            "voorstel": review.label_of(
                db_session=db, ctx=ctx, soort=match.soort, onderwerp_id=match.onderwerp_id
            ),
            "gekozen": review.label_of(
                db_session=db, ctx=ctx, soort=match.soort, onderwerp_id=match.vervangen_door
            )
            if match.vervangen_door
            else None,
            "alternatives": review.alternatives(db_session=db, ctx=ctx, match=match),
            "beoordelaar": db.get(Medewerker, match.beoordelaar_id) if match.beoordelaar_id else None,
        }
    return page(
        request,
        "console/review_item.html",
        status_code=422 if error else 200,
        error=error,
        form=form or {},
        soorten=review.SOORT_LABELS,
        statussen=review.STATUS_LABELS,
        **context,
    )


@router.post("/beoordelen/{match_id}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def review_decide(
    request: Request,
    match_id: str,
    account: Annotated[Medewerker, Depends(Allowed("match.review"))],
    besluit: Annotated[str, Form(max_length=20)],
    reden: Annotated[str, Form(max_length=5000)] = "",
    keuze: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    ctx = ctx_of(request)
    try:
        with transaction(ctx.sessions) as db:
            match = review.decide(
                db_session=db,
                ctx=ctx,
                match_id=match_id,
                account=account,
                besluit=besluit,
                reden=reden,
                keuze=keuze,
                ip=ip_of(request),
            )
            kandidaat_id = match.kandidaat_id
    except LookupError:
        return not_found(request, "Dit voorstel")
    except review.ReviewError as exc:
        return _review_page(
            request,
            match_id,
            account,
            error=str(exc),
            form={"besluit": besluit, "reden": reden, "keuze": keuze},
        )
    done = {"goedkeuren": "goedgekeurd", "afwijzen": "afgewezen", "overschrijven": "aangepast"}[besluit]
    flash(
        request,
        f"Het voorstel is {done}."
        + (" De kandidaat krijgt bericht." if besluit != "afwijzen" and kandidaat_id else ""),
    )
    return redirect("/console/beoordelen")


# ------------------------------------------------------------------------------------------ kandidaten


@router.get("/kandidaten", response_class=HTMLResponse)
def kandidaat_list(
    request: Request,
    _: Annotated[Medewerker, Depends(Allowed("kandidaat.view"))],
    q: str = "",
    fase: str = "",
) -> Response:
    with transaction(ctx_of(request).sessions) as db:
        rows = kandidaten.search(db_session=db, q=q, fase=fase or None)
    return page(
        request,
        "console/kandidaten.html",
        rows=rows,
        q=q[:100],
        fase=fase,
        fasen=FASEN,
        fase_labels=kandidaten.FASE_LABELS,
        display_name=kandidaten.display_name,
    )


def _kandidaat_page(
    request: Request,
    kandidaat_id: str,
    account: Medewerker,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ctx = ctx_of(request)
    with transaction(ctx.sessions) as db:
        detail = kandidaten.detail(db_session=db, ctx=ctx, kandidaat_id=kandidaat_id)
        if detail is None:
            return not_found(request, "Deze kandidaat")
        kandidaten.record_view(
            db_session=db, account=account, kandidaat_id=detail.kandidaat.id, ip=ip_of(request)
        )
    return page(
        request,
        "console/kandidaat.html",
        status_code=422 if error else 200,
        d=detail,
        k=detail.kandidaat,
        error=error,
        form=form,
        fasen=FASEN,
        fase_labels=kandidaten.FASE_LABELS,
        naam=kandidaten.display_name(detail.kandidaat),
        contact_labels=contact.STATUS_LABELS,
        can_edit=account.rol in ("medewerker", "coordinator", "beheerder"),
    )


@router.get("/kandidaten/{kandidaat_id}", response_class=HTMLResponse)
def kandidaat_page(
    request: Request, kandidaat_id: str, account: Annotated[Medewerker, Depends(Allowed("kandidaat.view"))]
) -> Response:
    return _kandidaat_page(request, kandidaat_id, account)


@router.post("/kandidaten/{kandidaat_id}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def kandidaat_save(
    request: Request,
    kandidaat_id: str,
    account: Annotated[Medewerker, Depends(Allowed("kandidaat.edit"))],
    fase: Annotated[str, Form(max_length=32)],
    naam: Annotated[str, Form(max_length=1000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
    telefoon: Annotated[str, Form(max_length=1000)] = "",
    plaats: Annotated[str, Form(max_length=1000)] = "",
    notities: Annotated[str, Form(max_length=40_000)] = "",
    volgende_actie_op: Annotated[str, Form(max_length=40)] = "",
    opvolg_notitie: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ctx = ctx_of(request)
    values = {
        "naam": naam,
        "email": email,
        "telefoon": telefoon,
        "plaats": plaats,
        "notities": notities,
        "fase": fase,
        "volgende_actie_op": volgende_actie_op,
        "opvolg_notitie": opvolg_notitie,
    }
    try:
        with transaction(ctx.sessions) as db:
            detail = kandidaten.detail(db_session=db, ctx=ctx, kandidaat_id=kandidaat_id)
            if detail is None:
                return not_found(request, "Deze kandidaat")
            changed = kandidaten.update_kandidaat(
                db_session=db, kandidaat=detail.kandidaat, account=account, values=values, ip=ip_of(request)
            )
    except kandidaten.KandidaatError as exc:
        return _kandidaat_page(request, kandidaat_id, account, error=str(exc), form=values)
    flash(request, "Opgeslagen." if changed else "Er was niets veranderd.")
    return redirect(f"/console/kandidaten/{kandidaat_id}")


# ------------------------------------------------------------------------------------------ handoff inbox


@router.get("/contact", response_class=HTMLResponse)
def contact_inbox(
    request: Request, _: Annotated[Medewerker, Depends(Allowed("handoff.view"))], status: str = "open"
) -> Response:
    now = clock.now()
    with transaction(ctx_of(request).sessions) as db:
        found = contact.inbox(db_session=db, status=status)
        talen = contact.languages_of(db_session=db, verzoeken=[v for v, _ in found])
        rows = [
            {
                "v": v,
                "k": k,
                "naam": kandidaten.display_name(k) if k else "Onbekend",
                "sla": contact.sla(v, now),
                "taal": talen.get(v.id, "nl"),
            }
            for v, k in found
        ]
    return page(request, "console/contact_inbox.html", rows=rows, status=status, labels=contact.STATUS_LABELS)


def _contact_page(
    request: Request, verzoek_id: str, account: Medewerker, error: str | None = None, text: str = ""
) -> Response:
    ctx = ctx_of(request)
    with transaction(ctx.sessions) as db:
        verzoek = contact.get(db_session=db, verzoek_id=verzoek_id)
        if verzoek is None:
            return not_found(request, "Dit contactverzoek")
        from loket.audit.service import record
        from loket.kandidaat.models import Kandidaat

        record(
            db_session=db,
            actor=f"medewerker:{account.id}",
            action="contact.view",
            object_type="contact_verzoek",
            object_id=verzoek.id,
            ip=ip_of(request),
        )
        kandidaat = db.get(Kandidaat, verzoek.kandidaat_id) if verzoek.kandidaat_id else None
        gesprek = contact.conversation(db_session=db, verzoek=verzoek)
        taal = contact.languages_of(db_session=db, verzoeken=[verzoek]).get(verzoek.id, "nl")
        author_ids = {b.author for b in gesprek if b.author}
        auteurs = (
            dict(
                db.execute(select(Medewerker.id, Medewerker.naam).where(Medewerker.id.in_(author_ids))).all()
            )
            if author_ids
            else {}
        )
    return page(
        request,
        "console/contact.html",
        status_code=422 if error else 200,
        v=verzoek,
        k=kandidaat,
        naam=kandidaten.display_name(kandidaat) if kandidaat else "Onbekend",
        gesprek=gesprek,
        auteurs=auteurs,
        sla=contact.sla(verzoek, clock.now()),
        taal=taal,
        error=error,
        text=text,
        labels=contact.STATUS_LABELS,
    )


@router.get("/contact/{verzoek_id}", response_class=HTMLResponse)
def contact_page(
    request: Request, verzoek_id: str, account: Annotated[Medewerker, Depends(Allowed("handoff.view"))]
) -> Response:
    return _contact_page(request, verzoek_id, account)


@router.post("/contact/{verzoek_id}/antwoord", response_class=HTMLResponse, dependencies=[CsrfChecked])
def contact_reply(
    request: Request,
    verzoek_id: str,
    account: Annotated[Medewerker, Depends(Allowed("handoff.reply"))],
    tekst: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        with transaction(ctx_of(request).sessions) as db:
            verzoek = contact.get(db_session=db, verzoek_id=verzoek_id)
            if verzoek is None:
                return not_found(request, "Dit contactverzoek")
            contact.reply(db_session=db, verzoek=verzoek, account=account, text=tekst, ip=ip_of(request))
    except contact.ContactError as exc:
        return _contact_page(request, verzoek_id, account, error=str(exc), text=tekst)
    flash(request, "Je antwoord staat in het gesprek.")
    return redirect(f"/console/contact/{verzoek_id}")


@router.post("/contact/{verzoek_id}/afronden", response_class=HTMLResponse, dependencies=[CsrfChecked])
def contact_finish(
    request: Request, verzoek_id: str, account: Annotated[Medewerker, Depends(Allowed("handoff.reply"))]
) -> Response:
    with transaction(ctx_of(request).sessions) as db:
        verzoek = contact.get(db_session=db, verzoek_id=verzoek_id)
        if verzoek is None:
            return not_found(request, "Dit contactverzoek")
        contact.finish(db_session=db, verzoek=verzoek, account=account, ip=ip_of(request))
    flash(request, "Het contactverzoek is afgerond.")
    return redirect("/console/contact")


# ------------------------------------------------------------------------------------------ audit log


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    _: Annotated[Medewerker, Depends(Allowed("audit.view"))],
    actor: str = "",
    object_id: str = "",
    action: str = "",
    pagina: int = 1,
) -> Response:
    size = 100
    pagina = max(1, min(pagina, 10_000))
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if actor:
        query = query.where(AuditEvent.actor.like(f"%{actor[:128]}%"))
    if object_id:
        query = query.where(AuditEvent.object_id == object_id[:64])
    if action:
        query = query.where(AuditEvent.action.like(f"{action[:64]}%"))
    with transaction(ctx_of(request).sessions) as db:
        events = db.scalars(query.offset((pagina - 1) * size).limit(size + 1)).all()
        ids = {e.actor.split(":", 1)[1] for e in events if e.actor.startswith("medewerker:")}
        names = (
            dict(db.execute(select(Medewerker.id, Medewerker.naam).where(Medewerker.id.in_(ids))).all())
            if ids
            else {}
        )
    return page(
        request,
        "console/audit.html",
        events=events[:size],
        more=len(events) > size,
        pagina=pagina,
        names=names,
        actor=actor[:128],
        object_id=object_id[:64],
        action=action[:64],
    )
