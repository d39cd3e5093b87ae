"""Buttons that act on another domain: accept or decline an invalwerk offer or a coach request.

A button's callback data is ``a:<action>:<object id>``. Each action checks that the pressing chat is the
linked invaller or coach of that object, then calls the SAME function as the web link does (the atomic
claim of the invalpool, ``loopbaangesprek.flows.respond``), so Telegram and web can never both win.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from loket.context import AppContext
from loket.telegram.messaging import say

log = logging.getLogger("loket.telegram")


@dataclass
class Outcome:
    """What the chat hears after a press: a message, a short notice on the button, whether it is settled."""

    text: str | None = None
    toast: str | None = None
    buttons: list[dict[str, Any]] = field(default_factory=list)
    done: bool = True  # mark the choice under the message and remove its buttons


Action = Callable[..., Outcome]
ACTIONS: dict[str, Action] = {}

def _answer(accept: bool, language: str) -> str:
    """The thanks after an offer was answered (knowledge/texts/telegram.yaml)."""
    from loket.telegram.messaging import say

    return say("offer_accepted" if accept else "offer_declined", language)


def register(name: str) -> Callable[[Action], Action]:
    """Make ``fn`` the action for callback data ``a:<name>:<id>``."""

    def wrap(fn: Action) -> Action:
        ACTIONS[name] = fn
        return fn

    return wrap


def buttons_for(payload: dict[str, Any], language: str = "nl") -> list[dict[str, Any]]:
    """Accept/decline buttons implied by a queued message's payload (a coach offer or an invalwerk offer)."""
    accept, decline = ("Accepteer", "Weiger") if language == "nl" else ("Accept", "Decline")
    if payload.get("toewijzing_id"):
        oid = str(payload["toewijzing_id"])
        return [{"label": accept, "action": "loopbaangesprek.accept", "id": oid},
                {"label": decline, "action": "loopbaangesprek.decline", "id": oid}]
    if payload.get("aanbod_id"):
        oid = str(payload["aanbod_id"])
        return [{"label": accept, "action": "aanbod.accept", "id": oid},
                {"label": decline, "action": "aanbod.decline", "id": oid}]
    return []


def parse(data: str) -> tuple[str, str] | None:
    """``a:<action>:<id>``, or the invalpool's own ``aanbod:accept:<id>``, as (action, id); None otherwise."""
    if data.startswith("a:"):
        name, _, object_id = data[2:].partition(":")
        return name, object_id
    kind, _, rest = data.partition(":")
    verb, _, object_id = rest.partition(":")
    if kind in ("aanbod", "loopbaangesprek") and verb in ("accept", "decline") and object_id:
        return f"{kind}.{verb}", object_id
    return None


def run(*, db_session: Session, ctx: AppContext, name: str, object_id: str, chat_id: str,
        language: str) -> Outcome:
    """Run the action ``name`` for ``object_id`` pressed in ``chat_id``; an unknown action is a stale button."""
    action = ACTIONS.get(name)
    if action is None or not object_id or len(object_id) > 64:
        return Outcome(toast=say("stale_button", language), done=False)
    return action(db_session=db_session, ctx=ctx, object_id=object_id, chat_id=chat_id, language=language)


def _domain_function(module: str, name: str) -> Callable[..., Any] | None:
    """A public function of another domain, or None while that domain has not landed it."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _call(fn: Callable[..., Any], **available: Any) -> Any:
    """Call ``fn`` with the keyword arguments it declares, out of ``available``."""
    wanted = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in available.items() if k in wanted})


# ----------------------------------------------------------------------------- coach requests


def _coach_answer(*, db_session: Session, ctx: AppContext, object_id: str, chat_id: str, language: str,
                  accept: bool) -> Outcome:
    from loket.coach.models import Coach

    respond = _domain_function("loket.loopbaangesprek.flows", "respond")
    lock = _domain_function("loket.loopbaangesprek.flows", "lock_offer")
    if respond is None or lock is None:
        return Outcome(text=say("not_available", language), done=False)
    offer = lock(db_session=db_session, toewijzing_id=object_id)
    coach = db_session.get(Coach, offer.coach_id) if offer is not None and offer.coach_id else None
    if coach is None or coach.telegram_chat_id != chat_id:
        return Outcome(text=say("not_yours", language))
    flow_error = getattr(importlib.import_module("loket.loopbaangesprek.flows"), "FlowError", Exception)
    try:
        with db_session.begin_nested():
            respond(ctx=ctx, db_session=db_session, toewijzing_id=object_id, accept=accept,
                    actor=f"coach:{coach.id}:telegram")
    except flow_error as exc:
        return Outcome(text=str(exc))
    return Outcome(text=_answer(accept, language))


@register("loopbaangesprek.accept")
def coach_accept(**kwargs: Any) -> Outcome:
    """A coach accepts a loopbaangesprek offered to them."""
    return _coach_answer(accept=True, **kwargs)


@register("loopbaangesprek.decline")
def coach_decline(**kwargs: Any) -> Outcome:
    """A coach declines a loopbaangesprek offered to them (it goes to the next coach)."""
    return _coach_answer(accept=False, **kwargs)


# ----------------------------------------------------------------------------- invalwerk offers


def _offer_answer(*, db_session: Session, ctx: AppContext, object_id: str, chat_id: str, language: str,
                  accept: bool) -> Outcome:
    from loket import clock
    from loket.invaller.models import Invaller
    from loket.vervangingsvraag.models import Aanbod

    aanbod = db_session.get(Aanbod, object_id)
    invaller = db_session.get(Invaller, aanbod.invaller_id) if aanbod is not None else None
    if invaller is None or invaller.telegram_chat_id != chat_id:
        return Outcome(text=say("not_yours", language))
    # The invalpool's own accept/decline, the same the web link calls (with its atomic claim inside).
    name = "accept_offer" if accept else "decline_offer"
    fn = _domain_function("loket.vervangingsvraag.flows", name)
    if fn is None:
        return Outcome(text=say("not_available", language), done=False)
    links_type = getattr(importlib.import_module("loket.vervangingsvraag.flows"), "Links", None)
    links = links_type.from_settings(ctx.settings) if links_type is not None else None
    with db_session.begin_nested():
        result = _call(fn, ctx=ctx, db_session=db_session, links=links, aanbod_id=aanbod.id,
                       invaller_id=invaller.id, now=clock.now(), actor=f"invaller:{invaller.id}:telegram",
                       channel="telegram")
    text = result.text("en" if language != "nl" else "nl") if hasattr(result, "text") else None
    return Outcome(text=text or _answer(accept, language))


@register("aanbod.accept")
def offer_accept(**kwargs: Any) -> Outcome:
    """An invaller accepts an offer of invalwerk (first accept wins)."""
    return _offer_answer(accept=True, **kwargs)


@register("aanbod.decline")
def offer_decline(**kwargs: Any) -> Outcome:
    """An invaller declines an offer of invalwerk."""
    return _offer_answer(accept=False, **kwargs)
