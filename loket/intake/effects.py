"""What the service does when the intake engine asks for it: consent, handoff, erase, language, done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket import clock
from loket.context import AppContext
from loket.i18n import day_text, text
from loket.intake.codes import new_resume_code
from loket.intake.erasure import erase
from loket.intake.models import ContactVerzoek, IntakeSessie
from loket.kandidaat.models import Kandidaat
from matching.workdays import working_days_after


@dataclass
class Outcome:
    messages: list[dict[str, Any]] = field(default_factory=list)
    # Shown right after the engine's first message (e.g. the resume code, before the first question).
    lead_messages: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    erased: bool = False


def _say(message: str) -> dict[str, Any]:
    return {"text": message, "quick_replies": []}


def handoff_due(db_session: Session, ctx: AppContext) -> date:
    """An honest date: one working day, plus one more for every full day of open requests ahead."""
    open_requests = db_session.scalar(
        select(func.count()).select_from(ContactVerzoek).where(ContactVerzoek.status != "afgerond")) or 0
    return working_days_after(clock.now().date(), 1 + open_requests // ctx.settings.handoff_per_day)


def _kandidaat(db_session: Session, sessie: IntakeSessie, profile: dict[str, Any]) -> Kandidaat:
    kandidaat = db_session.get(Kandidaat, sessie.kandidaat_id) if sessie.kandidaat_id else None
    if kandidaat is None:
        kandidaat = Kandidaat(plaats=profile.get("place"))
        db_session.add(kandidaat)
        db_session.flush()
        sessie.kandidaat_id = kandidaat.id
    elif profile.get("place"):
        kandidaat.plaats = profile["place"]
    return kandidaat


def _assign_resume_code(db_session: Session, sessie: IntakeSessie) -> None:
    for _ in range(10):
        code = new_resume_code()
        try:
            with db_session.begin_nested():
                sessie.resume_code = code
                db_session.flush()
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free resume code")


def apply(*, db_session: Session, ctx: AppContext, sessie: IntakeSessie, effect: dict[str, Any],
          state: Any) -> Outcome:
    """Carry out one effect; return messages and fields to add to the Turn."""
    kind = effect.get("type")
    out = Outcome()
    lang = getattr(state, "language", sessie.language)
    if kind == "consent_given":
        sessie.consent_version = str(effect.get("version", ""))[:32]
        sessie.consent_at = clock.now()
        _assign_resume_code(db_session, sessie)
        out.lead_messages.append(_say(text("resume_code", lang, code=sessie.resume_code,
                                           until=day_text(sessie.expires_at.date(), lang))))
    elif kind == "language":
        sessie.language = effect.get("language", sessie.language)
    elif kind == "handoff":
        profile = state.profile().model_dump(mode="json", exclude_none=True)
        kandidaat = _kandidaat(db_session, sessie, profile)
        contact = str(effect.get("contact") or "")[:320]
        contact_kind = effect.get("contact_kind")
        if contact_kind == "email":
            kandidaat.email = contact
        elif contact_kind in ("phone", "telefoon"):
            kandidaat.telefoon = contact
        due = handoff_due(db_session, ctx)
        db_session.add(ContactVerzoek(
            sessie_id=sessie.id, kandidaat_id=kandidaat.id, contact=contact or None, contact_kind=contact_kind,
            voorkeur=str(effect.get("preferred") or "")[:200] or None, samenvatting=profile,
            beloofd_voor=clock.now().replace(year=due.year, month=due.month, day=due.day, hour=17, minute=0,
                                             second=0, microsecond=0),
        ))
        out.messages.append(_say(text("handoff_promise", lang, day=day_text(due, lang),
                                      contact=contact or ("deze chat" if lang == "nl" else "this chat"))))
        out.fields["handoff"] = {"due": due.isoformat()}
    elif kind == "erase":
        receipt = erase(db_session=db_session, sessie=sessie)
        out.erased = True
        out.fields["receipt"] = receipt
        out.messages.append(_say(text("erased", lang, receipt=receipt["session_id"][:8])))
    elif kind == "done":
        from loket.advies.service import advice_for_session

        profile = state.profile()
        _kandidaat(db_session, sessie, profile.model_dump(mode="json", exclude_none=True))
        advice = advice_for_session(db_session=db_session, ctx=ctx, sessie=sessie, profile=profile, language=lang)
        out.fields["advice"] = advice.model_dump(mode="json")
    # consent_refused, stop, restart: the engine's own state and messages say all that is needed.
    return out
