"""The workflows of a loopbaangesprek: submit and route, accept or decline, reassign, plan, close, feedback.

Each function works inside the caller's transaction (``db_session``) and queues its messages in the outbox
in that same transaction, so a message goes out only when the change it announces is stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.auth.links import sign
from loket.bestuur.models import Bestuur
from loket.coach import service as coaches
from loket.coach.models import Coach
from loket.context import AppContext
from loket.loopbaangesprek import messaging, service
from loket.loopbaangesprek.models import UITKOMSTEN, Loopbaangesprek, LoopbaangesprekToewijzing
from loket.outbox.service import queue
from loket.regio.models import Plaats
from matching.coaching import (
    OWN_BESTUUR,
    UNKNOWN_BESTUUR,
    RequestInfo,
    Routing,
    expected_contact_date,
    hard_rule,
    route,
)
from matching.workdays import add_working_days

# Purposes of signed links: a link made for one never works for another.
LINK_COACH = "loopbaangesprek"
LINK_KEUZE = "gesprek-keuze"
LINK_FEEDBACK = "gesprek-feedback"
LINK_DAYS = {LINK_COACH: 14, LINK_KEUZE: 30, LINK_FEEDBACK: 60}
LINK_PATHS = {LINK_COACH: "coach", LINK_KEUZE: "keuze", LINK_FEEDBACK: "feedback"}
MAX_PROPOSALS = 5


class FlowError(Exception):
    """A step that is not possible now; ``message`` is a Dutch sentence for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _audit(db_session: Session, actor: str, action: str, gesprek_id: str, detail: dict[str, Any]) -> None:
    record(
        db_session=db_session,
        actor=actor,
        action=f"loopbaangesprek.{action}",
        object_type="loopbaangesprek",
        object_id=gesprek_id,
        detail=detail,
    )


def link_max_age(purpose: str) -> int:
    """How long a link of ``purpose`` stays valid, in seconds."""
    return LINK_DAYS[purpose] * 86400


def link(ctx: AppContext, purpose: str, subject: str) -> str:
    """The full address of a signed link for ``subject``."""
    token = sign(ctx.settings.secret(), purpose, subject)
    return f"{ctx.settings.base_url}/loopbaangesprek/{LINK_PATHS[purpose]}/{token}"


def _sla(ctx: AppContext) -> int:
    return ctx.settings.loopbaangesprek_sla_werkdagen


def request_info(*, db_session: Session, gesprek: Loopbaangesprek) -> RequestInfo:
    """The request as routing sees it."""
    plaats = db_session.get(Plaats, gesprek.plaats_id) if gesprek.plaats_id else None
    return RequestInfo(
        bestuur_id=gesprek.bestuur_id,
        tags=tuple(gesprek.tags or ()),
        wish=gesprek.wens or "",
        starter=gesprek.starter,
        subregio_id=plaats.subregio_id if plaats else None,
        lat=plaats.lat if plaats else None,
        lon=plaats.lon if plaats else None,
        tried=service.tried_coaches(db_session=db_session, gesprek_id=gesprek.id),
    )


def _promise(
    ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, info: RequestInfo, assigned: bool
) -> date | None:
    now = clock.now()
    if assigned:
        return expected_contact_date(today=now.date(), sla_working_days=_sla(ctx), assigned=True)
    eligible = [
        c
        for c in coaches.routing_infos(db_session=db_session, now=now)
        if hard_rule(info, c, now.date()) not in (OWN_BESTUUR, UNKNOWN_BESTUUR) and c.id not in info.tried
    ]
    return expected_contact_date(
        today=now.date(),
        sla_working_days=_sla(ctx),
        assigned=assigned,
        queue_ahead=0 if assigned else service.queue_position(db_session=db_session, gesprek=gesprek),
        eligible=eligible,
    )


def _offer_to_coach(
    ctx: AppContext,
    db_session: Session,
    gesprek: Loopbaangesprek,
    coach: Coach,
    explanation: dict[str, Any],
    actor: str,
) -> LoopbaangesprekToewijzing:
    now = clock.now()
    offer = LoopbaangesprekToewijzing(
        loopbaangesprek_id=gesprek.id,
        coach_id=coach.id,
        status="aangeboden",
        toelichting=explanation,
        aangeboden_at=now,
        deadline=add_working_days(now, _sla(ctx)),
    )
    db_session.add(offer)
    db_session.flush()
    gesprek.status, gesprek.coach_id, gesprek.toelichting = "toegewezen", coach.id, explanation
    gesprek.sla_deadline, gesprek.toegewezen_at, gesprek.wachtrij_sinds = offer.deadline, now, None
    address = link(ctx, LINK_COACH, offer.id)
    subject, body = messaging.coach_offer(
        gesprek, coach, address, offer.deadline, f"{ctx.settings.base_url}/coach"
    )
    if coach.email:
        queue(db_session=db_session, channel="email", recipient=coach.email, subject=subject, body=body)
    if coach.telegram_chat_id:
        queue(
            db_session=db_session,
            channel="telegram",
            recipient=coach.telegram_chat_id,
            body=body,
            payload={"loopbaangesprek_id": gesprek.id, "toewijzing_id": offer.id},
        )
    _audit(
        db_session,
        actor,
        "toegewezen",
        gesprek.id,
        {"coach_id": coach.id, "toewijzing_id": offer.id, "redenen": explanation.get("redenen", [])},
    )
    return offer


def route_one(
    *, ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, actor: str = "system"
) -> Routing:
    """Route a waiting request: offer it to the best coach, or keep it in the queue with the reason."""
    now = clock.now()
    info = request_info(db_session=db_session, gesprek=gesprek)
    routing = route(info, coaches.routing_infos(db_session=db_session, now=now), today=now.date())
    explanation = routing.explanation() | {"at": now.isoformat()}
    if routing.chosen is not None:
        coach = coaches.get(db_session=db_session, coach_id=routing.chosen.coach_id)
        assert coach is not None  # routing only knows coaches that exist
        _offer_to_coach(ctx, db_session, gesprek, coach, explanation, actor)
    else:
        gesprek.status, gesprek.coach_id, gesprek.toelichting = "wachtend", None, explanation
        gesprek.sla_deadline = None
        gesprek.wachtrij_sinds = gesprek.wachtrij_sinds or now
    return routing


def submit(
    *, ctx: AppContext, db_session: Session, aanvraag: service.Aanvraag
) -> tuple[Loopbaangesprek, date | None]:
    """Store a teacher's request, route it, promise an honest date and confirm by e-mail."""
    gesprek = service.create(db_session=db_session, aanvraag=aanvraag)
    _audit(db_session, f"leraar:{gesprek.id}", "aangevraagd", gesprek.id, {"kanaal": gesprek.kanaal})
    routing = route_one(ctx=ctx, db_session=db_session, gesprek=gesprek)
    day = _promise(
        ctx,
        db_session,
        gesprek,
        request_info(db_session=db_session, gesprek=gesprek),
        assigned=not routing.waits,
    )
    gesprek.beloofd_contact_op = day
    subject, body = messaging.confirmation(gesprek, day, _sla(ctx))
    queue(db_session=db_session, channel="email", recipient=gesprek.email or "", subject=subject, body=body)
    return gesprek, day


def reroute(*, ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, actor: str) -> Routing:
    """Route again (after a decline, a missed SLA, or from the queue) and keep the promise honest."""
    routing = route_one(ctx=ctx, db_session=db_session, gesprek=gesprek, actor=actor)
    day = _promise(
        ctx,
        db_session,
        gesprek,
        request_info(db_session=db_session, gesprek=gesprek),
        assigned=not routing.waits,
    )
    promised = gesprek.beloofd_contact_op
    if promised is None or day is None or day > promised:
        # The teacher hears it when the promise cannot be kept, never later than the promised day.
        if day != promised and gesprek.email:
            subject, body = messaging.confirmation(gesprek, day, _sla(ctx))
            queue(
                db_session=db_session,
                channel="email",
                recipient=gesprek.email,
                subject=("Nieuwe datum: " if gesprek.taal == "nl" else "New date: ") + subject,
                body=body,
            )
        gesprek.beloofd_contact_op = day
    return routing


def lock_offer(*, db_session: Session, toewijzing_id: str) -> LoopbaangesprekToewijzing | None:
    """The offer, locked for this transaction, so that an answer and the SLA job never both act on it."""
    return (
        db_session.get(LoopbaangesprekToewijzing, toewijzing_id, with_for_update=True)
        if 0 < len(toewijzing_id) <= 32
        else None
    )


def respond(
    *, ctx: AppContext, db_session: Session, toewijzing_id: str, accept: bool, reden: str = "", actor: str
) -> Loopbaangesprek:
    """A coach accepts or declines an offer. FlowError when the offer is no longer open."""
    offer = lock_offer(db_session=db_session, toewijzing_id=toewijzing_id)
    if offer is None:
        raise FlowError("Deze aanvraag bestaat niet (meer).")
    gesprek = service.get(db_session=db_session, gesprek_id=offer.loopbaangesprek_id)
    assert gesprek is not None
    if offer.status != "aangeboden":
        raise FlowError(
            {
                "geaccepteerd": "Je hebt deze aanvraag al geaccepteerd.",
                "afgewezen": "Je hebt deze aanvraag al afgewezen.",
                "verlopen": "De tijd om te reageren is voorbij. De aanvraag is naar een andere coach gegaan.",
            }.get(offer.status, "Deze aanvraag is niet meer voor jou.")
        )
    now = clock.now()
    offer.beantwoord_at = now
    offer.reden = reden[:2000] or None
    if accept:
        offer.status = "geaccepteerd"
        gesprek.status, gesprek.sla_deadline = "geaccepteerd", None
        coach = coaches.get(db_session=db_session, coach_id=offer.coach_id or "")
        if coach is not None and gesprek.email:
            subject, body = messaging.accepted(gesprek, coach)
            queue(db_session=db_session, channel="email", recipient=gesprek.email, subject=subject, body=body)
        _audit(db_session, actor, "geaccepteerd", gesprek.id, {"coach_id": offer.coach_id})
        return gesprek
    offer.status = "afgewezen"
    _audit(db_session, actor, "afgewezen", gesprek.id, {"coach_id": offer.coach_id})
    reroute(ctx=ctx, db_session=db_session, gesprek=gesprek, actor=actor)
    return gesprek


def expire(*, ctx: AppContext, db_session: Session, toewijzing_id: str) -> bool:
    """An offer whose SLA passed without an answer goes to the next coach; True when it did."""
    offer = lock_offer(db_session=db_session, toewijzing_id=toewijzing_id)
    if offer is None or offer.status != "aangeboden" or offer.deadline > clock.now():
        return False  # answered meanwhile, or handled by another process
    offer.status = "verlopen"
    offer.beantwoord_at = clock.now()
    gesprek = service.get(db_session=db_session, gesprek_id=offer.loopbaangesprek_id)
    assert gesprek is not None
    _audit(db_session, "system", "sla_verlopen", gesprek.id, {"coach_id": offer.coach_id})
    reroute(ctx=ctx, db_session=db_session, gesprek=gesprek, actor="system")
    return True


def set_bestuur(
    *, ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, bestuur_id: str, actor: str
) -> Routing:
    """The teacher did not know their bestuur (the chat's "weet ik niet"): the loket sets it, then routes."""
    if gesprek.status != "wachtend":
        raise FlowError("Deze aanvraag wacht niet meer in de wachtrij.")
    if gesprek.bestuur_id is not None:
        raise FlowError("Het bestuur van deze aanvraag is al bekend.")
    if not bestuur_id or db_session.get(Bestuur, bestuur_id) is None:
        raise FlowError("Kies een bestuur uit de lijst.")
    gesprek.bestuur_id = bestuur_id
    _audit(db_session, actor, "bestuur_vastgelegd", gesprek.id, {"bestuur_id": bestuur_id})
    db_session.flush()
    return reroute(ctx=ctx, db_session=db_session, gesprek=gesprek, actor=actor)


def assign_manually(
    *, ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, coach_id: str, actor: str
) -> LoopbaangesprekToewijzing:
    """A coordinator offers a waiting request to a coach of their choice — never one of the own bestuur."""
    coach = coaches.get(db_session=db_session, coach_id=coach_id)
    if coach is None or not coach.actief:
        raise FlowError("Kies een actieve coach uit de lijst.")
    if gesprek.status != "wachtend":
        raise FlowError("Deze aanvraag wacht niet meer in de wachtrij.")
    if gesprek.bestuur_id is None or coach.bestuur_id == gesprek.bestuur_id:
        raise FlowError("Deze coach werkt bij het bestuur van de leraar. Dat mag nooit.")
    explanation = {
        "gekozen": coach.id,
        "redenen": ["handmatig gekozen door het loket", "niet van het eigen bestuur van de leraar"],
        "at": clock.now().isoformat(),
    }
    offer = _offer_to_coach(ctx, db_session, gesprek, coach, explanation, actor)
    gesprek.beloofd_contact_op = gesprek.beloofd_contact_op or add_working_days(clock.now(), _sla(ctx)).date()
    return offer


def parse_local_times(values: list[str]) -> list[datetime]:
    """``2026-12-02T14:00`` values of datetime-local fields (Dutch time) as UTC; FlowError when wrong."""
    times: list[datetime] = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            naive = datetime.fromisoformat(value[:32])
        except ValueError:
            raise FlowError(
                f"'{value[:32]}' is geen datum en tijd. Gebruik bijvoorbeeld 2026-12-02 14:00."
            ) from None
        if naive.tzinfo is not None:
            raise FlowError("Geef de tijd zonder tijdzone; we gebruiken de Nederlandse tijd.")
        times.append(naive.replace(tzinfo=messaging.LOCAL).astimezone(clock.now().tzinfo))
    return times


def propose_times(
    *, ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, times: list[datetime], actor: str
) -> None:
    """The coach proposes times; the teacher gets a link to pick one."""
    if gesprek.status not in ("geaccepteerd", "voorgesteld"):
        raise FlowError("Je kunt pas tijden voorstellen als je de aanvraag hebt geaccepteerd.")
    now = clock.now()
    unique = sorted(set(times))
    if not unique:
        raise FlowError("Stel minstens één tijd voor.")
    if len(unique) > MAX_PROPOSALS:
        raise FlowError(f"Stel hoogstens {MAX_PROPOSALS} tijden voor.")
    if any(t < now + timedelta(hours=2) for t in unique):
        raise FlowError("Kies tijden die minstens twee uur in de toekomst liggen.")
    if any(t > now + timedelta(days=120) for t in unique):
        raise FlowError("Kies tijden binnen vier maanden.")
    gesprek.voorgestelde_tijden = [t.isoformat() for t in unique]
    gesprek.status = "voorgesteld"
    coach = coaches.get(db_session=db_session, coach_id=gesprek.coach_id or "")
    assert coach is not None
    subject, body = messaging.choose_time(gesprek, coach, link(ctx, LINK_KEUZE, gesprek.id))
    queue(db_session=db_session, channel="email", recipient=gesprek.email or "", subject=subject, body=body)
    _audit(db_session, actor, "tijden_voorgesteld", gesprek.id, {"aantal": len(unique)})


def pick_time(*, ctx: AppContext, db_session: Session, gesprek: Loopbaangesprek, when: str) -> datetime:
    """The teacher picks one proposed time; both get the invite (.ics) by e-mail."""
    if gesprek.status == "afspraak" and gesprek.afspraak_at and gesprek.afspraak_at.isoformat() == when:
        return gesprek.afspraak_at  # the same choice twice (a double click): nothing new
    if gesprek.status != "voorgesteld" or when not in gesprek.voorgestelde_tijden:
        raise FlowError("Deze tijd kun je niet (meer) kiezen. Kies een van de voorgestelde tijden.")
    start = datetime.fromisoformat(when)
    if start <= clock.now():
        raise FlowError("Deze tijd is al voorbij. Vraag je coach om nieuwe tijden.")
    coach = coaches.get(db_session=db_session, coach_id=gesprek.coach_id or "")
    assert coach is not None
    gesprek.status, gesprek.afspraak_at = "afspraak", start
    ics = messaging.ics_invite(
        uid=gesprek.id,
        start=start,
        teacher=(gesprek.naam, gesprek.email),
        coach=(coach.naam, coach.email),
        organiser_email=ctx.settings.smtp_from,
        stamp=clock.now(),
    )
    attachment = {"filename": "loopbaangesprek.ics", "content_type": "text/calendar", "content": ics}
    for name, other, address, lang in (
        (gesprek.naam, coach.naam, gesprek.email, gesprek.taal),
        (coach.naam, gesprek.naam, coach.email, "nl"),
    ):
        if address:
            subject, body = messaging.appointment(name, other, start, lang)
            queue(
                db_session=db_session,
                channel="email",
                recipient=address,
                subject=subject,
                body=body,
                payload={"attachments": [attachment], "loopbaangesprek_id": gesprek.id},
            )
    _audit(db_session, f"leraar:{gesprek.id}", "afspraak", gesprek.id, {"at": start.isoformat()})
    return start


def close(*, db_session: Session, gesprek: Loopbaangesprek, uitkomst: str | None, actor: str) -> None:
    """The coach marks the conversation as held, with the outcome when known."""
    if gesprek.status not in ("geaccepteerd", "voorgesteld", "afspraak", "afgerond"):
        raise FlowError("Je kunt alleen een gesprek afronden dat je hebt geaccepteerd.")
    if uitkomst and uitkomst not in UITKOMSTEN:
        raise FlowError("Kies een uitkomst uit de lijst.")
    gesprek.status = "afgerond"
    gesprek.afgerond_at = gesprek.afgerond_at or clock.now()
    if uitkomst:
        gesprek.uitkomst = uitkomst
    _audit(db_session, actor, "afgerond", gesprek.id, {"uitkomst": uitkomst})


def give_feedback(
    *, db_session: Session, gesprek: Loopbaangesprek, score: int, tekst: str, uitkomst: str | None
) -> None:
    """The teacher's feedback after the conversation (1–5, a comment, what they will do)."""
    if gesprek.status not in ("afspraak", "afgerond"):
        raise FlowError("Je kunt feedback geven na je gesprek.")
    if not 1 <= score <= 5:
        raise FlowError("Kies een cijfer van 1 tot en met 5.")
    if uitkomst and uitkomst not in UITKOMSTEN:
        raise FlowError("Kies wat je gaat doen uit de lijst.")
    gesprek.feedback_score, gesprek.feedback_tekst = score, tekst[:2000] or None
    gesprek.uitkomst = uitkomst or gesprek.uitkomst
    gesprek.feedback_at = clock.now()
    if gesprek.status == "afspraak":
        gesprek.status, gesprek.afgerond_at = "afgerond", clock.now()
