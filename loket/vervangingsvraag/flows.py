"""Invalpool workflows: post and change a vraag, release it in tiers, accept or decline an offer (first
accept wins), cancel from either side (the vraag reopens, waiting list first), and the evening-before plan.

Every function works inside the caller's transaction (``db_session``) and reads the time from
``loket.clock``, so the scheduler, the web routes and the Telegram adapter share one behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from loket import clock
from loket.audit.service import record
from loket.auth import links as signed
from loket.bestuur.models import Bestuur, School
from loket.errors import LoketError
from loket.i18n import TEXTS
from loket.invaller import service as invaller_service
from loket.invaller.models import Invaller
from loket.settings import Settings
from loket.vervangingsvraag import messaging, service
from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag, VraagIn
from matching import invalpool

# Dispatch stages in order. Same-day vragen skip straight to the last one.
STAGES = ("genoemd", "voorkeur", "tier1", "tier2", "tier3", "iedereen")
PLANNING_TIER = -1  # offers made by the coordinator's batch plan
DEFAULT_DELAYS_MINUTES = (30, 60, 120)
DEFAULT_PER_TIER = 10
AANBOD_PURPOSE = "aanbod"
AANBOD_MAX_AGE_SECONDS = 21 * 24 * 3600  # an offer link outlives any vraag it can be about
REOPENED = ("vergeven",)  # offers that come back to life when a vraag reopens
KEY_FIELDS = ("school_id", "datum_van", "datum_tot", "dagdelen", "groepen", "vereist", "urgentie",
              "genoemde_invaller_id")

TEXTS.update({
    "vraag_school_onbekend": {"nl": "Kies een school van je eigen bestuur.",
                              "en": "Choose a school of your own board."},
    "vraag_niet_in_pool": {"nl": "Dit bestuur doet niet mee aan de invalpool.",
                           "en": "This board does not take part in the invalpool."},
    "vraag_datum_verleden": {"nl": "De eerste dag ligt in het verleden. Kies vandaag of later.",
                             "en": "The first day is in the past. Choose today or later."},
    "vraag_invaller_onbekend": {"nl": "Die invaller kennen we niet.", "en": "We do not know that invaller."},
    "vraag_niet_wijzigbaar": {"nl": "Deze vraag is afgesloten en kan niet meer veranderen.",
                              "en": "This request is closed and cannot change any more."},
    "vraag_gevuld_wijzigen": {
        "nl": "Er is al een invaller. Trek eerst de toewijzing in als school, dagen of groepen veranderen.",
        "en": "A substitute has been found. Withdraw the assignment first to change school, days or groups."},
    "vraag_niet_gevuld": {"nl": "Deze vraag heeft (nog) geen invaller.",
                          "en": "This request has no substitute (yet)."},
    "vraag_voorbij": {"nl": "Deze dagen zijn al voorbij.", "en": "These days are already over."},
})

OUTCOME_TEXTS = {
    "toegewezen": {"nl": "Je hebt het werk! Je krijgt een bevestiging per e-mail.",
                   "en": "You got the work! You will receive a confirmation by e-mail."},
    "vergeven": {"nl": "Iemand anders was je net voor. Je staat op de wachtlijst: valt die invaller uit, "
                       "dan krijg jij het als eerste.",
                 "en": "Someone else was just ahead of you. You are on the waiting list: if that substitute "
                       "drops out, you are first in line."},
    "overlap": {"nl": "Je werkt op (een van) die dagen al op een andere school. Daarom kun je dit niet aannemen.",
                "en": "You already work at another school on (one of) those days, so you cannot take this."},
    "gesloten": {"nl": "Deze vraag is niet meer open: ingetrokken, gewijzigd of voorbij.",
                 "en": "This request is no longer open: withdrawn, changed or over."},
    "al_geaccepteerd": {"nl": "Je had dit werk al aangenomen.", "en": "You had already accepted this work."},
    "geweigerd": {"nl": "Je hebt nee gezegd. Dank je voor je antwoord.",
                  "en": "You said no. Thank you for answering."},
    "onbekend": {"nl": "Dit aanbod bestaat niet (meer).", "en": "This offer does not exist (any more)."},
}


@dataclass(frozen=True)
class Links:
    """Builds the signed links in messages."""

    base_url: str
    secret: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Links:
        return cls(base_url=settings.base_url, secret=settings.secret())

    def aanbod(self, aanbod_id: str) -> str:
        return f"{self.base_url}/aanbod/{signed.sign(self.secret, AANBOD_PURPOSE, aanbod_id)}"

    def personal(self, invaller_id: str) -> str:
        return invaller_service.personal_link(base_url=self.base_url, secret=self.secret, invaller_id=invaller_id)


@dataclass(frozen=True)
class OfferResult:
    """What happened to an accept or decline; ``text(lang)`` is what the invaller reads."""

    outcome: str
    vraag_id: str | None = None

    def text(self, lang: str = "nl") -> str:
        entry = OUTCOME_TEXTS[self.outcome]
        return entry.get(lang, entry["nl"])

    @property
    def won(self) -> bool:
        return self.outcome == "toegewezen"


def _school(db_session: Session, vraag: Vervangingsvraag) -> School:
    school = db_session.get(School, vraag.school_id)
    assert school is not None
    return school


def _delays(bestuur: Bestuur) -> list[int]:
    raw = (bestuur.dispatch or {}).get("tier_delays_minutes") or DEFAULT_DELAYS_MINUTES
    delays = [int(m) for m in raw if isinstance(m, int | float) and 0 < m <= 24 * 60]
    return delays or list(DEFAULT_DELAYS_MINUTES)


def _per_tier(bestuur: Bestuur) -> int:
    value = (bestuur.dispatch or {}).get("per_tier", DEFAULT_PER_TIER)
    return int(value) if isinstance(value, int) and 0 < value <= 1000 else DEFAULT_PER_TIER


def _next_release(vraag: Vervangingsvraag, bestuur: Bestuur, waves: int, now: datetime) -> datetime:
    delays = _delays(bestuur)
    due = now + timedelta(minutes=delays[min(max(waves - 1, 0), len(delays) - 1)])
    # Never wait past the deadline: the last tiers get their chance before the loket steps in.
    if vraag.deadline_at is not None and now < vraag.deadline_at < due:
        return vraag.deadline_at
    return due


# --- posting and changing -------------------------------------------------------------------------------

def _check_input(db_session: Session, data: VraagIn, scope_bestuur_id: str | None, now: datetime) -> School:
    school = db_session.get(School, data.school_id)
    if school is None or (scope_bestuur_id is not None and school.bestuur_id != scope_bestuur_id):
        raise LoketError(422, "vraag_school_onbekend")
    bestuur = db_session.get(Bestuur, school.bestuur_id)
    if bestuur is None or not bestuur.in_invalpool:
        raise LoketError(422, "vraag_niet_in_pool")
    if data.datum_van < service.local_today(now):
        raise LoketError(422, "vraag_datum_verleden")
    if data.genoemde_invaller_id and db_session.get(Invaller, data.genoemde_invaller_id) is None:
        raise LoketError(422, "vraag_invaller_onbekend")
    return school


def create_vraag(*, db_session: Session, links: Links, data: VraagIn, scope_bestuur_id: str | None,
                 actor: str) -> Vervangingsvraag:
    """Store a new vraag and release its first wave of offers right away."""
    now = clock.now()
    school = _check_input(db_session, data, scope_bestuur_id, now)
    vraag = Vervangingsvraag(
        school_id=school.id, bestuur_id=school.bestuur_id, datum_van=data.datum_van, datum_tot=data.datum_tot,
        dagdelen=list(data.dagdelen), groepen=list(data.groepen), uren=data.uren or 6.0 * len(
            service.school_days(data.datum_van, data.datum_tot or data.datum_van)) * len(data.dagdelen) / 2,
        vereist=data.vereist, notities=data.notities, urgentie=data.urgentie,
        genoemde_invaller_id=data.genoemde_invaller_id, status="open", huidige_tier=0, created_at=now,
    )
    vraag.deadline_at = service.deadline_for(vraag, now)
    db_session.add(vraag)
    db_session.flush()
    record(db_session=db_session, actor=actor, action="vervangingsvraag.create", object_type="vervangingsvraag",
           object_id=vraag.id, detail={"school_id": school.id, "datum_van": vraag.datum_van.isoformat()})
    release_next(db_session=db_session, links=links, vraag=vraag)
    _changed(db_session, vraag)
    return vraag


def _changed(db_session: Session, vraag: Vervangingsvraag) -> None:
    """Tell the bestuur's system (its callback) when the vraag's public status changed."""
    from loket.bestuur.koppeling import vraag_changed

    vraag_changed(db_session=db_session, vraag=vraag)


def edit_vraag(*, db_session: Session, links: Links, vraag: Vervangingsvraag, data: VraagIn,
               scope_bestuur_id: str | None, actor: str) -> Vervangingsvraag:
    """Change a vraag. Changing what is asked (school, days, groups …) of an open vraag withdraws its
    offers and starts the release again; a filled vraag only takes new notes and hours."""
    if vraag.status not in ("open", "gevuld"):
        raise LoketError(409, "vraag_niet_wijzigbaar")
    now = clock.now()
    changed = [f for f in KEY_FIELDS if getattr(data, f) != getattr(vraag, f)]
    if changed and vraag.status == "gevuld":
        raise LoketError(409, "vraag_gevuld_wijzigen")
    if changed:
        school = _check_input(db_session, data, scope_bestuur_id, now)
        vraag.bestuur_id = school.bestuur_id
        for name in KEY_FIELDS:
            value = getattr(data, name)
            setattr(vraag, name, list(value) if isinstance(value, list) else value)
    vraag.notities = data.notities
    if data.uren:
        vraag.uren = data.uren
    vraag.gewijzigd_at = now
    record(db_session=db_session, actor=actor, action="vervangingsvraag.edit", object_type="vervangingsvraag",
           object_id=vraag.id, detail={"changed": changed})
    if changed:
        _withdraw_offers(db_session, vraag, notify=True)
        vraag.huidige_tier = 0
        vraag.deadline_at = service.deadline_for(vraag, now)
        vraag.geescaleerd_at = None
        db_session.flush()
        release_next(db_session=db_session, links=links, vraag=vraag)
    _changed(db_session, vraag)
    db_session.flush()
    return vraag


def _withdraw_offers(db_session: Session, vraag: Vervangingsvraag, *, notify: bool) -> None:
    school = _school(db_session, vraag)
    for aanbod in service.offers(db_session=db_session, vraag_id=vraag.id):
        if aanbod.status in ("verstuurd", "wachtlijst", "vergeven"):
            was_active = aanbod.status in service.ACTIVE_OFFER
            aanbod.status = "ingetrokken"
            invaller = db_session.get(Invaller, aanbod.invaller_id)
            if notify and was_active and invaller is not None:
                messaging.send_to_invaller(db_session=db_session, invaller=invaller,
                                           message=messaging.offer_withdrawn(vraag, school))


def cancel_vraag(*, db_session: Session, vraag: Vervangingsvraag, actor: str) -> Vervangingsvraag:
    """The school no longer needs cover: close the vraag, free the invaller, withdraw open offers."""
    if vraag.status not in ("open", "gevuld"):
        raise LoketError(409, "vraag_niet_wijzigbaar")
    school = _school(db_session, vraag)
    if vraag.status == "gevuld":
        invaller_id = service.unclaim(db_session=db_session, vraag=vraag, status="geannuleerd")
        _mark_accepted(db_session, vraag.id, invaller_id, "geannuleerd")
        invaller = db_session.get(Invaller, invaller_id) if invaller_id else None
        if invaller is not None:
            messaging.send_to_invaller(db_session=db_session, invaller=invaller,
                                       message=messaging.assignment_cancelled(vraag, school, vraag_gone=True))
    _withdraw_offers(db_session, vraag, notify=True)
    vraag.status = "geannuleerd"
    vraag.volgende_release_at = None
    vraag.gewijzigd_at = clock.now()
    record(db_session=db_session, actor=actor, action="vervangingsvraag.cancel", object_type="vervangingsvraag",
           object_id=vraag.id)
    _changed(db_session, vraag)
    db_session.flush()
    return vraag


def _mark_accepted(db_session: Session, vraag_id: str, invaller_id: str | None, status: str) -> None:
    if invaller_id is None:
        return
    aanbod = db_session.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag_id, Aanbod.invaller_id == invaller_id))
    if aanbod is not None:
        aanbod.status = status
        aanbod.beantwoord_at = clock.now()


# --- tiered release -------------------------------------------------------------------------------------

def _select(stage: str, ranked: list[invalpool.Ranked], pool: invalpool.Pool, vraag: Vervangingsvraag,
            data: invalpool.VraagData, per_tier: int) -> list[invalpool.Ranked]:
    if stage == "genoemd":
        return [r for r in ranked if r.invaller_id == vraag.genoemde_invaller_id]
    if stage == "voorkeur":
        return [r for r in ranked if r.invaller_id in data.voorkeur_invallers]
    if stage.startswith("tier"):
        tier = int(stage[4:])
        return [r for r in ranked if pool.invallers[pool.index[r.invaller_id]].tier == tier][:per_tier]
    return ranked


def release_next(*, db_session: Session, links: Links, vraag: Vervangingsvraag) -> int:
    """Offer the vraag to its next wave of invallers; return how many offers went out.

    Order: after a reopen the earlier offers come back first; then named invaller, the school's preferred
    list, pool tiers 1-3 (best ``per_tier`` each) and finally everyone eligible. Empty stages are skipped.
    Same-day vragen go to everyone eligible at once. When all stages are done, newly eligible invallers
    (someone just set their availability) are offered at the longest delay until the vraag is filled.
    """
    now = clock.now()
    if vraag.status != "open":
        vraag.volgende_release_at = None
        return 0
    bestuur = db_session.get(Bestuur, vraag.bestuur_id)
    assert bestuur is not None
    school = _school(db_session, vraag)
    existing = {a.invaller_id: a for a in service.offers(db_session=db_session, vraag_id=vraag.id)}
    waves = len({a.tier for a in existing.values() if a.tier != PLANNING_TIER})

    revived = [a for a in existing.values() if a.status in REOPENED]
    if revived:
        for aanbod in revived:
            invaller = db_session.get(Invaller, aanbod.invaller_id)
            if invaller is not None:
                _send_offer(db_session, links, vraag, school, invaller, aanbod)
        vraag.volgende_release_at = _next_release(vraag, bestuur, waves, now)
        return len(revived)

    data = service.vraag_data(db_session=db_session, vraag=vraag)
    pool = invaller_service.load_pool(db_session=db_session, dagen=data.dagen)
    blocked = [i for i, a in existing.items() if a.status != "ingetrokken"]
    ranked = invalpool.rank(data, pool, exclude=blocked)
    stage = vraag.huidige_tier
    chosen: list[invalpool.Ranked] = []
    if service.is_same_day(vraag, now):
        stage, chosen = len(STAGES), ranked
    else:
        while stage < len(STAGES) and not chosen:
            chosen = _select(STAGES[stage], ranked, pool, vraag, data, _per_tier(bestuur))
            stage += 1
        if stage >= len(STAGES) and not chosen:
            chosen = ranked  # all stages done: whoever became eligible since
    vraag.huidige_tier = min(stage, len(STAGES))
    wave_tier = vraag.huidige_tier - 1
    invallers = {i.id: i for i in db_session.scalars(select(Invaller).where(
        Invaller.id.in_([r.invaller_id for r in chosen])))} if chosen else {}
    for r in chosen:
        invaller = invallers[r.invaller_id]
        aanbod = existing.get(r.invaller_id)
        if aanbod is None:
            aanbod = Aanbod(vraag_id=vraag.id, invaller_id=invaller.id)
            db_session.add(aanbod)
        aanbod.tier = wave_tier
        aanbod.score = r.score
        aanbod.redenen = invalpool.component_texts(r, pool, data)
        _send_offer(db_session, links, vraag, school, invaller, aanbod)
    if chosen:
        waves += 1
    vraag.volgende_release_at = _next_release(vraag, bestuur, waves, now)
    db_session.flush()
    if chosen:
        _changed(db_session, vraag)  # the first wave makes it "aangeboden"
    return len(chosen)


def _send_offer(db_session: Session, links: Links, vraag: Vervangingsvraag, school: School, invaller: Invaller,
                aanbod: Aanbod, *, waitlist: bool = False, reminder: bool = False) -> None:
    now = clock.now()
    if not reminder:
        aanbod.status = "verstuurd"
        aanbod.verstuurd_at = now
        aanbod.beantwoord_at = None
        aanbod.herinnerd_at = None
    db_session.flush()  # the offer needs its id for the link
    link = links.aanbod(aanbod.id)
    message = messaging.offer(vraag, school, link, links.personal(invaller.id), reminder=reminder,
                              waitlist=waitlist)
    messaging.send_to_invaller(db_session=db_session, invaller=invaller, message=message,
                               buttons=messaging.offer_buttons(aanbod.id),
                               extra={"aanbod_id": aanbod.id, "link": link, "kind": "aanbod"})


def remind(*, db_session: Session, links: Links, aanbod: Aanbod) -> None:
    """Send the one reminder of an unanswered offer."""
    vraag = service.get(db_session=db_session, vraag_id=aanbod.vraag_id)
    invaller = db_session.get(Invaller, aanbod.invaller_id)
    if vraag is None or invaller is None:
        return
    _send_offer(db_session, links, vraag, _school(db_session, vraag), invaller, aanbod, reminder=True)
    aanbod.herinnerd_at = clock.now()


# --- answers to offers ----------------------------------------------------------------------------------

def aanbod_from_token(*, db_session: Session, secret: str, token: str) -> Aanbod:
    """The offer of a signed per-offer link; LinkInvalid when forged, expired or unknown."""
    aanbod_id = signed.verify(secret, AANBOD_PURPOSE, token, max_age_seconds=AANBOD_MAX_AGE_SECONDS)
    aanbod = db_session.get(Aanbod, aanbod_id)
    if aanbod is None:
        raise signed.LinkInvalid(expired=False)
    return aanbod


def accept_offer(*, db_session: Session, links: Links, aanbod_id: str, invaller_id: str | None = None,
                 channel: str = "web") -> OfferResult:
    """The invaller says yes. The first accept wins by the atomic claim in ``service.claim``; a later one
    goes on the waiting list. ``invaller_id`` (e.g. from a linked Telegram chat) must own the offer."""
    now = clock.now()
    # Plain column reads and writes: this path runs once per invaller who says yes, often all at once.
    row = db_session.connection().execute(select(Aanbod.vraag_id, Aanbod.invaller_id, Aanbod.status)
                                          .where(Aanbod.id == aanbod_id)).first()
    if row is None or (invaller_id is not None and row.invaller_id != invaller_id):
        return OfferResult("onbekend")
    vraag_id, owner = row.vraag_id, row.invaller_id
    if row.status == "geaccepteerd":
        return OfferResult("al_geaccepteerd", vraag_id)
    if row.status not in ("verstuurd", "wachtlijst", "vergeven"):
        return OfferResult("gesloten", vraag_id)
    outcome = service.claim(db_session=db_session, vraag_id=vraag_id, invaller_id=owner, now=now)
    if outcome == "overlap":
        return OfferResult("overlap", vraag_id)
    if outcome == "bezet":
        status = db_session.connection().scalar(
            select(Vervangingsvraag.status).where(Vervangingsvraag.id == vraag_id))
        if status != "gevuld":
            return OfferResult("gesloten", vraag_id)
        _answered(db_session, aanbod_id, "wachtlijst", now)
        return OfferResult("vergeven", vraag_id)
    _answered(db_session, aanbod_id, "geaccepteerd", now)
    _on_filled(db_session, links, vraag_id, owner, actor=f"invaller:{owner}", planned=False, channel=channel)
    return OfferResult("toegewezen", vraag_id)


def _answered(db_session: Session, aanbod_id: str, status: str, now: datetime) -> None:
    # Core on the session's connection (same transaction); objects loaded earlier are refreshed by callers.
    db_session.connection().execute(
        update(Aanbod).where(Aanbod.id == aanbod_id).values(status=status, beantwoord_at=now))


def _on_filled(db_session: Session, links: Links, vraag_id: str, invaller_id: str, *, actor: str,
               planned: bool, channel: str) -> None:
    vraag = service.get(db_session=db_session, vraag_id=vraag_id)
    invaller = db_session.get(Invaller, invaller_id)
    assert vraag is not None and invaller is not None
    school = _school(db_session, vraag)
    # One statement marks every other open offer as taken and says whose they were (to tell them).
    others = db_session.execute(
        update(Aanbod).where(Aanbod.vraag_id == vraag_id, Aanbod.invaller_id != invaller_id,
                             Aanbod.status == "verstuurd")
        .values(status="vergeven").returning(Aanbod.invaller_id).execution_options(synchronize_session=False)
    ).scalars().all()
    if others:
        reachable = db_session.scalars(select(Invaller).where(
            Invaller.id.in_(others), or_(Invaller.email.is_not(None), Invaller.telegram_chat_id.is_not(None))))
        for someone in reachable:
            messaging.send_to_invaller(db_session=db_session, invaller=someone,
                                       message=messaging.taken(vraag, school, waitlist=False))
    messaging.send_to_invaller(db_session=db_session, invaller=invaller,
                               message=messaging.assigned(vraag, school, links.personal(invaller.id), planned=planned))
    messaging.send_to_bestuur(db_session=db_session, bestuur_id=vraag.bestuur_id,
                              message=messaging.filled_notice(vraag, school, invaller))
    record(db_session=db_session, actor=actor, action="vervangingsvraag.filled", object_type="vervangingsvraag",
           object_id=vraag_id, detail={"invaller_id": invaller_id, "channel": channel, "planned": planned})
    _changed(db_session, vraag)


def decline_offer(*, db_session: Session, aanbod_id: str, invaller_id: str | None = None) -> OfferResult:
    """The invaller says no. When nobody of the current wave is still deciding, the next wave goes out now."""
    aanbod = db_session.get(Aanbod, aanbod_id)
    if aanbod is None or (invaller_id is not None and aanbod.invaller_id != invaller_id):
        return OfferResult("onbekend")
    if aanbod.status == "geaccepteerd":
        return OfferResult("al_geaccepteerd", aanbod.vraag_id)
    if aanbod.status not in ("verstuurd", "wachtlijst", "vergeven"):
        return OfferResult("gesloten", aanbod.vraag_id)
    aanbod.status = "geweigerd"
    aanbod.beantwoord_at = clock.now()
    db_session.flush()
    vraag = service.get(db_session=db_session, vraag_id=aanbod.vraag_id)
    if vraag is not None and vraag.status == "open" and vraag.volgende_release_at is not None:
        pending = [a for a in service.offers(db_session=db_session, vraag_id=vraag.id) if a.status == "verstuurd"]
        if not pending:
            vraag.volgende_release_at = clock.now()
    return OfferResult("geweigerd", aanbod.vraag_id)


def cancel_assignment(*, db_session: Session, links: Links, vraag: Vervangingsvraag, by: str, actor: str,
                      invaller_id: str | None = None) -> Vervangingsvraag:
    """The invaller drops out (``by="invaller"``) or the school withdraws the assignment (``by="bestuur"``):
    the vraag reopens; the waiting list is offered it first, the earlier offers follow at the next release."""
    now = clock.now()
    if vraag.status != "gevuld" or (by == "invaller" and vraag.invaller_id != invaller_id):
        raise LoketError(409, "vraag_niet_gevuld")
    if vraag.datum_tot < service.local_today(now):
        raise LoketError(409, "vraag_voorbij")
    school = _school(db_session, vraag)
    previous = service.unclaim(db_session=db_session, vraag=vraag, status="open")
    _mark_accepted(db_session, vraag.id, previous, "geannuleerd")
    dropped = db_session.get(Invaller, previous) if previous else None
    if dropped is not None:
        if by == "invaller":
            messaging.send_to_bestuur(db_session=db_session, bestuur_id=vraag.bestuur_id,
                                      message=messaging.invaller_cancelled(vraag, school, dropped))
        else:
            messaging.send_to_invaller(db_session=db_session, invaller=dropped,
                                       message=messaging.assignment_cancelled(vraag, school, vraag_gone=False))
    vraag.deadline_at = service.deadline_for(vraag, now)
    vraag.geescaleerd_at = None
    record(db_session=db_session, actor=actor, action=f"vervangingsvraag.cancel_assignment.{by}",
           object_type="vervangingsvraag", object_id=vraag.id, detail={"invaller_id": previous})
    waitlist = [a for a in service.offers(db_session=db_session, vraag_id=vraag.id) if a.status == "wachtlijst"]
    for aanbod in waitlist:
        invaller = db_session.get(Invaller, aanbod.invaller_id)
        if invaller is not None:
            _send_offer(db_session, links, vraag, school, invaller, aanbod, waitlist=True)
    bestuur = db_session.get(Bestuur, vraag.bestuur_id)
    assert bestuur is not None
    # The waiting list gets a head start of the first tier delay; without one, the next release is now.
    vraag.volgende_release_at = now + timedelta(minutes=_delays(bestuur)[0]) if waitlist else now
    if service.is_same_day(vraag, now) and waitlist:
        vraag.volgende_release_at = now + timedelta(minutes=10)
    _changed(db_session, vraag)
    db_session.flush()
    return vraag


# --- batch planning the evening before -----------------------------------------------------------------

@dataclass
class Proposal:
    """One open vraag with the plan's choice and the alternatives a coordinator may pick instead."""

    vraag: Vervangingsvraag
    school: School
    invaller_id: str | None
    score: float | None
    reasons: list[str]
    alternatives: list[tuple[str, str, float]] = field(default_factory=list)  # (id, name, score)
    names: dict[str, str] = field(default_factory=dict)


def open_vragen_on(*, db_session: Session, day: date) -> list[Vervangingsvraag]:
    """Open vragen that need someone on ``day``."""
    return list(db_session.scalars(select(Vervangingsvraag).where(
        Vervangingsvraag.status == "open", Vervangingsvraag.datum_van <= day, Vervangingsvraag.datum_tot >= day)
        .order_by(Vervangingsvraag.datum_van, Vervangingsvraag.id)))


def plan_for_day(*, db_session: Session, day: date, alternatives: int = 5) -> list[Proposal]:
    """The optimal proposal for every open vraag of ``day`` (one vraag per invaller, most filled, best fit)."""
    vragen = open_vragen_on(db_session=db_session, day=day)
    if not vragen:
        return []
    datas = [service.vraag_data(db_session=db_session, vraag=v) for v in vragen]
    pool = invaller_service.load_pool(db_session=db_session, dagen={d for x in datas for d in x.dagen})
    plan = invalpool.plan_batch(datas, pool)
    wanted: set[str] = set()
    proposals = []
    for vraag, data, choice in zip(vragen, datas, plan.assignments, strict=True):
        ranked = invalpool.rank(data, pool, limit=alternatives)
        reasons: list[str] = []
        if choice.invaller_id:
            explanation = invalpool.explain(data, pool, choice.invaller_id)
            reasons = explanation.soft
        proposal = Proposal(vraag=vraag, school=_school(db_session, vraag), invaller_id=choice.invaller_id,
                            score=choice.score, reasons=reasons,
                            alternatives=[(r.invaller_id, "", r.score) for r in ranked])
        wanted.update(r.invaller_id for r in ranked)
        if choice.invaller_id:
            wanted.add(choice.invaller_id)
        proposals.append(proposal)
    names = dict(db_session.execute(select(Invaller.id, Invaller.naam).where(Invaller.id.in_(wanted))).all())
    for p in proposals:
        p.names = names
        p.alternatives = [(i, names.get(i, i), s) for i, _, s in p.alternatives]
    return proposals


def confirm_plan(*, db_session: Session, links: Links, choices: Iterable[tuple[str, str]], actor: str
                 ) -> list[tuple[str, str, list[str]]]:
    """Assign the coordinator's confirmed (vraag id, invaller id) pairs; return (vraag id, outcome, reasons).

    Each pair is checked again (things change after the page was shown) and claimed atomically, exactly like
    an accept: ok, niet_geschikt (with the reasons), bezet (filled or closed meanwhile) or overlap.
    """
    results: list[tuple[str, str, list[str]]] = []
    for vraag_id, invaller_id in choices:
        vraag = service.get(db_session=db_session, vraag_id=vraag_id)
        if vraag is None or vraag.status != "open":
            results.append((vraag_id, "bezet", []))
            continue
        data = service.vraag_data(db_session=db_session, vraag=vraag)
        pool = invaller_service.load_pool(db_session=db_session, dagen=data.dagen, invaller_ids=[invaller_id])
        hard = invalpool.eligibility(data, pool).reasons(invaller_id)
        if hard:
            results.append((vraag_id, "niet_geschikt", [text for _, text in hard]))
            continue
        outcome = service.claim(db_session=db_session, vraag_id=vraag_id, invaller_id=invaller_id, now=clock.now())
        if outcome != "ok":
            results.append((vraag_id, outcome, []))
            continue
        aanbod = db_session.scalar(select(Aanbod).where(Aanbod.vraag_id == vraag_id, Aanbod.invaller_id == invaller_id))
        if aanbod is None:
            aanbod = Aanbod(vraag_id=vraag_id, invaller_id=invaller_id, tier=PLANNING_TIER)
            db_session.add(aanbod)
        aanbod.status = "geaccepteerd"
        aanbod.beantwoord_at = clock.now()
        db_session.flush()
        _on_filled(db_session, links, vraag_id, invaller_id, actor=actor, planned=True, channel="planning")
        results.append((vraag_id, "ok", []))
    return results


def vraag_json(vraag: Vervangingsvraag, school: School | None = None, invaller_naam: str | None = None,
               offers: Sequence[Aanbod] | None = None) -> dict[str, Any]:
    """The API shape of a vraag (shared by the API and the status endpoint of the bestuur page)."""
    out: dict[str, Any] = {
        "id": vraag.id, "school_id": vraag.school_id, "bestuur_id": vraag.bestuur_id,
        "school": school.naam if school else None,
        "datum_van": vraag.datum_van.isoformat(), "datum_tot": vraag.datum_tot.isoformat(),
        "dagdelen": vraag.dagdelen, "groepen": vraag.groepen, "uren": vraag.uren, "vereist": vraag.vereist,
        "notities": vraag.notities, "urgentie": vraag.urgentie, "status": vraag.status,
        "status_tekst": STATUS_TEXTS.get(vraag.status, vraag.status),
        "invaller_id": vraag.invaller_id, "invaller": invaller_naam,
        "genoemde_invaller_id": vraag.genoemde_invaller_id,
        "fase": STAGES[min(vraag.huidige_tier, len(STAGES)) - 1] if vraag.huidige_tier else None,
        "created_at": vraag.created_at.isoformat(),
        "gevuld_at": vraag.gevuld_at.isoformat() if vraag.gevuld_at else None,
    }
    if offers is not None:
        counts: dict[str, int] = {}
        for a in offers:
            counts[a.status] = counts.get(a.status, 0) + 1
        out["aanbiedingen"] = {"totaal": len(offers), **counts}
    return out


STATUS_TEXTS = {
    "open": "We zoeken een invaller",
    "gevuld": "Invaller gevonden",
    "geannuleerd": "Ingetrokken",
    "verlopen": "Niet gevuld (voorbij)",
    "afgerond": "Afgerond",
}
