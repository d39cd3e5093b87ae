"""The webhook Telegram calls, and the pages where invallers and coaches get a code to link Telegram."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from loket.auth.deps import Allowed, CsrfChecked
from loket.auth.links import LinkInvalid, sign, verify
from loket.context import AppContext
from loket.db import transaction
from loket.pages import render
from loket.telegram import flows, service

log = logging.getLogger("loket.telegram")
router = APIRouter(tags=["telegram"])

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LINK_PURPOSE = "telegram.koppel"
LINK_MAX_AGE_SECONDS = 90 * 24 * 3600


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


Ctx = Annotated[AppContext, Depends(_ctx)]


def _secret_ok(ctx: AppContext, sent: str | None) -> bool:
    secret = ctx.settings.telegram_webhook_secret
    if secret is None or not secret.get_secret_value() or not sent:
        return False  # without a configured secret the webhook accepts nothing
    return hmac.compare_digest(sent.encode(), secret.get_secret_value().encode())


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def webhook(request: Request, ctx: Ctx, background: BackgroundTasks) -> JSONResponse:
    """Store the update (once per update_id), answer 200 at once, process it after the answer."""
    if not _secret_ok(ctx, request.headers.get(SECRET_HEADER)):
        return JSONResponse({"detail": "Wrong or missing secret token."}, status_code=403)
    try:
        payload: Any = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return JSONResponse({"detail": "The body is not JSON."}, status_code=400)
    update_id = payload.get("update_id") if isinstance(payload, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id < 2**62:
        return JSONResponse({"detail": "An update needs a whole-number update_id."}, status_code=400)
    stored = await run_in_threadpool(service.store_update, sessions=ctx.sessions, payload=payload)
    if stored:
        # Durable before this point: a crash after the answer leaves the update for the scheduled job.
        background.add_task(_process, ctx, update_id)
    return JSONResponse({"ok": True, "duplicate": not stored})


def _process(ctx: AppContext, update_id: int) -> None:
    try:
        flows.process_update(ctx, update_id)
    except Exception:  # noqa: BLE001 - stays waiting in the table; the job tries again
        log.exception("processing telegram update %s after the webhook failed", update_id)


# ----------------------------------------------------------------------------- linking


def koppel_link(ctx: AppContext, *, invaller_id: str | None = None, coach_id: str | None = None) -> str:
    """The signed address where an invaller or coach gets a one-time Telegram code (for profile pages,
    e-mails)."""
    subject = f"invaller:{invaller_id}" if invaller_id else f"coach:{coach_id}"
    return f"{ctx.settings.base_url}/telegram/koppelen/{sign(ctx.settings.secret(), LINK_PURPOSE, subject)}"


def _owner(ctx: AppContext, token: str) -> tuple[str, str] | None:
    try:
        subject = verify(ctx.settings.secret(), LINK_PURPOSE, token, max_age_seconds=LINK_MAX_AGE_SECONDS)
    except LinkInvalid:
        return None
    kind, _, object_id = subject.partition(":")
    return (kind, object_id) if kind in ("invaller", "coach") and object_id else None


def _bot_username(ctx: AppContext) -> str | None:
    try:
        from loket.telegram.runtime import runtime_of

        return runtime_of(ctx).run(lambda app: _username(app), timeout=10)
    except Exception:  # noqa: BLE001 - the page works without the t.me link
        return None


async def _username(app: Any) -> str | None:
    return app.bot.username  # type: ignore[no-any-return]


def _koppel_page(request: Request, ctx: AppContext, *, kind: str, object_id: str, action: str,
                 code: str | None = None) -> HTMLResponse:
    from loket.coach.models import Coach
    from loket.invaller.models import Invaller

    with ctx.sessions() as db:
        owner = db.get(Invaller if kind == "invaller" else Coach, object_id)
        if owner is None:
            return render(request, "message.html", status_code=404, heading="Link werkt niet",
                          message="Deze link werkt niet (meer). Vraag het loket om een nieuwe.")
        naam, linked = owner.naam, bool(owner.telegram_chat_id)
    username = _bot_username(ctx) if code else None
    deep_link = f"https://t.me/{username}?start={code.replace('-', '')}" if code and username else None
    return render(request, "telegram/koppel.html", naam=naam, linked=linked, code=code, action=action,
                  deep_link=deep_link, kind=kind)


@router.get("/telegram/koppelen/{token}", response_class=HTMLResponse, include_in_schema=False)
def koppel_form(token: str, request: Request, ctx: Ctx) -> HTMLResponse:
    """The page with a button to make a code (a GET makes nothing: link checkers open links too)."""
    owner = _owner(ctx, token)
    if owner is None:
        return render(request, "message.html", status_code=404, heading="Link werkt niet",
                      message="Deze link is verlopen of klopt niet. Vraag het loket om een nieuwe.")
    return _koppel_page(request, ctx, kind=owner[0], object_id=owner[1], action=request.url.path)


@router.post("/telegram/koppelen/{token}", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[CsrfChecked])
def koppel_code(token: str, request: Request, ctx: Ctx) -> HTMLResponse:
    """Make a one-time code (30 minutes) and show it, with a t.me link that sends it to the bot."""
    owner = _owner(ctx, token)
    if owner is None:
        return render(request, "message.html", status_code=404, heading="Link werkt niet",
                      message="Deze link is verlopen of klopt niet. Vraag het loket om een nieuwe.")
    kind, object_id = owner
    from loket.coach.models import Coach
    from loket.invaller.models import Invaller

    with transaction(ctx.sessions) as db:
        if db.get(Invaller if kind == "invaller" else Coach, object_id) is None:
            return render(request, "message.html", status_code=404, heading="Link werkt niet",
                          message="Deze link werkt niet (meer). Vraag het loket om een nieuwe.")
        code = service.new_koppelcode(db_session=db, **{f"{kind}_id": object_id})
    return _koppel_page(request, ctx, kind=kind, object_id=object_id, action=request.url.path, code=code)


@router.get("/coach/telegram", response_class=HTMLResponse, include_in_schema=False)
def coach_koppel_form(request: Request, ctx: Ctx,
                      account: Annotated[Any, Depends(Allowed("telegram.link"))]) -> HTMLResponse:
    """A logged-in coach links their Telegram from their own menu."""
    if not account.coach_id:
        return render(request, "message.html", status_code=404, heading="Geen coachprofiel",
                      message="Aan dit account hangt geen coachprofiel.")
    return _koppel_page(request, ctx, kind="coach", object_id=account.coach_id, action="/coach/telegram")


@router.post("/coach/telegram", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[CsrfChecked])
def coach_koppel_code(request: Request, ctx: Ctx,
                      account: Annotated[Any, Depends(Allowed("telegram.link"))]) -> HTMLResponse:
    """Make a one-time code for the logged-in coach."""
    if not account.coach_id:
        return render(request, "message.html", status_code=404, heading="Geen coachprofiel",
                      message="Aan dit account hangt geen coachprofiel.")
    with transaction(ctx.sessions) as db:
        code = service.new_koppelcode(db_session=db, coach_id=account.coach_id)
    return _koppel_page(request, ctx, kind="coach", object_id=account.coach_id, action="/coach/telegram",
                        code=code)


# ----------------------------------------------------------------------------- staff


@router.get("/console/telegram", response_class=HTMLResponse, include_in_schema=False)
def staff_status(request: Request, ctx: Ctx,
                 account: Annotated[Any, Depends(Allowed("outbox.view"))]) -> HTMLResponse:
    """Telegram messages that could not be delivered and updates that could not be processed."""
    with ctx.sessions() as db:
        messages = service.failed_messages(db_session=db)
        updates = service.failed_updates(db_session=db)
        waiting = len(service.due_updates(db_session=db))
    return render(request, "telegram/status.html", messages=messages, updates=updates, waiting=waiting,
                  configured=ctx.settings.telegram_token is not None)
