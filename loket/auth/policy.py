"""Who may do what: one table for the whole service, checked by ``loket.auth.deps``.

Roles of accounts: medewerker, coordinator, beheerder (loket staff), bestuur (a school board's account),
coach. Invallers and kandidaten have no account: they act through signed links and session tokens.
Object-level rules (a bestuur sees only its own vragen, a coach only their own requests) live in the
``scope_*`` functions below, so that no route writes its own.
"""

from __future__ import annotations

from typing import Any

STAFF = frozenset({"medewerker", "coordinator", "beheerder"})
ALL_ACCOUNTS = STAFF | {"bestuur", "coach"}

# action -> roles allowed. Keep the action names stable: tests walk this table.
PERMISSIONS: dict[str, frozenset[str]] = {
    "console.view": STAFF,
    "kandidaat.view": STAFF,
    "kandidaat.edit": STAFF,
    "kandidaat.erase": frozenset({"coordinator", "beheerder"}),
    "match.review": STAFF,
    "match.export": STAFF,
    "handoff.view": STAFF,
    "handoff.reply": STAFF,
    "vacature.edit": STAFF,
    "vacature.import": frozenset({"coordinator", "beheerder"}),
    "invaller.view": STAFF | {"bestuur"},
    "invaller.edit": frozenset({"coordinator", "beheerder"}),
    "invaller.approve": frozenset({"bestuur", "coordinator", "beheerder"}),
    "vervangingsvraag.view": STAFF | {"bestuur"},
    "vervangingsvraag.create": frozenset({"bestuur", "coordinator", "beheerder"}),
    "vervangingsvraag.edit": frozenset({"bestuur", "coordinator", "beheerder"}),
    "bestuur.api": frozenset({"bestuur", "beheerder"}),
    "starter.manage": frozenset({"bestuur", "coordinator", "beheerder"}),
    "ambitie.view": frozenset({"coordinator", "beheerder", "bestuur"}),  # a bestuur: region totals only
    "ambitie.edit": frozenset({"beheerder"}),
    "ambitie.import": frozenset({"coordinator", "beheerder"}),
    "ambitie.api": frozenset({"coordinator", "beheerder", "medewerker"}),  # API keys and the callback address
    "invalpool.plan": frozenset({"coordinator", "beheerder"}),
    "invalpool.figures": STAFF | {"bestuur"},
    "loopbaangesprek.queue": frozenset({"coordinator", "beheerder"}),
    "loopbaangesprek.view": STAFF | {"coach"},
    "loopbaangesprek.respond": frozenset({"coach"}),
    "loopbaangesprek.figures": STAFF,
    "coach.edit": frozenset({"coordinator", "beheerder"}),
    "dashboard.view": STAFF,
    "audit.view": frozenset({"beheerder"}),
    "account.manage": frozenset({"beheerder"}),
    "session.block": frozenset({"coordinator", "beheerder"}),
    "outbox.view": STAFF,
    "telegram.link": frozenset({"coach"}),
}


def allowed(role: str | None, action: str) -> bool:
    """True when an account with ``role`` may do ``action``. Unknown actions are refused."""
    return role is not None and role in PERMISSIONS.get(action, frozenset())


def scope_bestuur(account: Any, bestuur_id: str | None) -> bool:
    """A bestuur account acts only on its own board's objects; staff on all."""
    if account.rol in STAFF:
        return True
    return account.rol == "bestuur" and account.bestuur_id is not None and account.bestuur_id == bestuur_id


def scope_coach(account: Any, coach_id: str | None) -> bool:
    """A coach acts only on requests assigned to them; staff on all."""
    if account.rol in STAFF:
        return True
    return account.rol == "coach" and account.coach_id is not None and account.coach_id == coach_id
