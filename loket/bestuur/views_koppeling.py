"""The bestuur's page for its own systems: API keys (made and shown once, revoked at once, last use) and
the callback address (secret shown once) with the latest deliveries. A beheerder opens it for any bestuur
(``?bestuur=``); a key never opens pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loket.auth.deps import Allowed, CsrfChecked
from loket.bestuur import koppeling
from loket.bestuur import service as bestuur_service
from loket.bestuur.models import BestuurCallback
from loket.db import transaction
from loket.errors import LoketError
from loket.i18n import text
from loket.medewerker.models import Medewerker
from loket.pages import render

router = APIRouter(tags=["bestuur"], include_in_schema=False)
Koppelaar = Annotated[Medewerker, Depends(Allowed("bestuur.api"))]


def _bestuur_id(db: Any, account: Medewerker, wanted: str) -> str | None:
    scope = bestuur_service.scope_of(account)
    if scope is not None:
        return scope
    besturen = bestuur_service.participating(db_session=db)
    ids = [b.id for b in besturen]
    return wanted[:64] if wanted[:64] in ids else (ids[0] if ids else None)


def _page(request: Request, account: Medewerker, bestuur_id: str | None, status_code: int = 200,
          **shown: Any) -> Response:
    with request.app.state.ctx.sessions() as db:
        if bestuur_id is None:
            return render(request, "message.html", heading="Geen besturen", message="Er doen nog geen besturen mee.")
        bestuur = bestuur_service.get(db_session=db, bestuur_id=bestuur_id)
        keys = koppeling.keys_of(db_session=db, bestuur_id=bestuur_id)
        callback = db.get(BestuurCallback, bestuur_id)
        deliveries = koppeling.deliveries(db_session=db, bestuur_id=bestuur_id)
        besturen = bestuur_service.participating(db_session=db) if bestuur_service.scope_of(account) is None else []
    return render(request, "bestuur/koppeling.html", status_code=status_code, bestuur=bestuur, keys=keys,
                  callback=callback, deliveries=deliveries, besturen=besturen,
                  base_url=request.app.state.ctx.settings.base_url, **shown)


@router.get("/bestuur/koppeling", response_class=HTMLResponse)
def page(request: Request, account: Koppelaar, bestuur: str = "") -> Response:
    with request.app.state.ctx.sessions() as db:
        bestuur_id = _bestuur_id(db, account, bestuur)
    return _page(request, account, bestuur_id)


def _act(request: Request, account: Medewerker, bestuur: str, work: Any) -> Response:
    try:
        with transaction(request.app.state.ctx.sessions) as db:
            bestuur_id = _bestuur_id(db, account, bestuur)
            if bestuur_id is None:
                raise LoketError(404, "not_found")
            shown = work(db, bestuur_id) or {}
    except LoketError as exc:
        with request.app.state.ctx.sessions() as db:
            bestuur_id = _bestuur_id(db, account, bestuur)
        return _page(request, account, bestuur_id, status_code=exc.status_code,
                     error=text(exc.key, "nl", **exc.values))
    if shown.get("redirect"):
        return RedirectResponse(f"/bestuur/koppeling?bestuur={bestuur_id}", status_code=303)
    return _page(request, account, bestuur_id, **shown)


@router.post("/bestuur/koppeling/sleutels", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def create_key(request: Request, account: Koppelaar) -> Response:
    form = await request.form()
    naam, bestuur = str(form.get("naam", "")), str(form.get("bestuur", ""))

    def work(db: Any, bestuur_id: str) -> dict[str, Any]:
        row, key = koppeling.create_key(db_session=db, bestuur_id=bestuur_id, naam=naam,
                                        actor=f"medewerker:{account.id}")
        return {"new_key": key, "new_key_name": row.naam}  # shown on this page only, never again

    return _act(request, account, bestuur, work)


@router.post("/bestuur/koppeling/sleutels/{sleutel_id}/intrekken", response_class=HTMLResponse,
             dependencies=[CsrfChecked])
async def revoke_key(request: Request, sleutel_id: str, account: Koppelaar) -> Response:
    form = await request.form()

    def work(db: Any, bestuur_id: str) -> dict[str, Any]:
        koppeling.revoke_key(db_session=db, bestuur_id=bestuur_id, sleutel_id=sleutel_id,
                             actor=f"medewerker:{account.id}")
        return {"redirect": True}

    return _act(request, account, str(form.get("bestuur", "")), work)


@router.post("/bestuur/koppeling/callback", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def set_callback(request: Request, account: Koppelaar) -> Response:
    form = await request.form()
    url = str(form.get("url", ""))

    def work(db: Any, bestuur_id: str) -> dict[str, Any]:
        if not url.strip():
            koppeling.remove_callback(db_session=db, bestuur_id=bestuur_id, actor=f"medewerker:{account.id}")
            return {"redirect": True}
        _, secret = koppeling.set_callback(db_session=db, bestuur_id=bestuur_id, url=url,
                                           actor=f"medewerker:{account.id}")
        return {"new_secret": secret}

    return _act(request, account, str(form.get("bestuur", "")), work)
