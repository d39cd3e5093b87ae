"""Texts the invalpool sends to invallers, besturen and the loket: Dutch (B1) first, English below.

Every message about an offer carries the signed link to the offer page; Telegram messages also carry
``payload["buttons"]`` (rows of ``{"text", "callback_data"}``) that the Telegram adapter renders as an
inline keyboard; ``callback_data`` is ``aanbod:accept:<aanbod id>`` or ``aanbod:decline:<aanbod id>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.bestuur.models import School
from loket.i18n import day_text
from loket.invaller.models import Invaller
from loket.medewerker.models import Medewerker
from loket.outbox.service import queue
from loket.vervangingsvraag.models import Vervangingsvraag

SIGNATURE = "Onderwijsloket Midden-Nederland"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def when(vraag: Vervangingsvraag, lang: str = "nl") -> str:
    """``dinsdag 1 december`` or ``dinsdag 1 december t/m vrijdag 4 december``."""
    first = day_text(vraag.datum_van, lang)
    if vraag.datum_tot == vraag.datum_van:
        return first
    return f"{first} {'t/m' if lang == 'nl' else 'to'} {day_text(vraag.datum_tot, lang)}"


def _parts(vraag: Vervangingsvraag, lang: str) -> str:
    names = {"nl": {"ochtend": "ochtend", "middag": "middag"}, "en": {"ochtend": "morning", "middag": "afternoon"}}
    parts = [names[lang].get(p, p) for p in (vraag.dagdelen or ["ochtend", "middag"])]
    return (" en " if lang == "nl" else " and ").join(parts)


def _groepen(vraag: Vervangingsvraag, lang: str) -> str:
    if not vraag.groepen:
        return ""
    label = "groep" if lang == "nl" else "group"
    return f", {label} {', '.join(vraag.groepen)}"


def describe(vraag: Vervangingsvraag, school: School, lang: str = "nl") -> str:
    """One line: school, days, day parts and groups."""
    return f"{school.naam}: {when(vraag, lang)} ({_parts(vraag, lang)}{_groepen(vraag, lang)})"


def offer(vraag: Vervangingsvraag, school: School, link: str, personal: str, *, reminder: bool = False,
          waitlist: bool = False) -> Message:
    """An offer (or its reminder, or a re-offer to the waitlist) with the signed link."""
    nl_intro = ("Herinnering: we zoeken nog steeds een invaller." if reminder else
                "Goed nieuws: het werk waarvoor je op de wachtlijst stond, is weer vrij." if waitlist else
                "Er is invalwerk dat bij je past.")
    en_intro = ("Reminder: we are still looking for a substitute." if reminder else
                "Good news: the work you were on the waiting list for is free again." if waitlist else
                "There is substitute work that suits you.")
    notes = f"\nOpmerking van de school: {vraag.notities}\n" if vraag.notities else ""
    body = (
        f"{nl_intro}\n\n{describe(vraag, school)}{notes}\n"
        f"Wil je dit doen? Kies ja of nee via deze link:\n{link}\n"
        "Wie het eerst ja zegt, krijgt het werk.\n\n"
        f"Je eigen pagina (gegevens, agenda, aanbiedingen):\n{personal}\n\n"
        f"---\n{en_intro}\n\n{describe(vraag, school, 'en')}\n"
        f"Do you want to do it? Choose yes or no with this link:\n{link}\n"
        "The first person to say yes gets the work.\n\n"
        f"{SIGNATURE}"
    )
    prefix = "Herinnering: " if reminder else ""
    return Message(f"{prefix}Invalwerk {when(vraag)} bij {school.naam}", body)


def taken(vraag: Vervangingsvraag, school: School, *, waitlist: bool) -> Message:
    """The work went to someone else."""
    nl = ("Je staat op de wachtlijst: valt de invaller uit, dan krijg jij het als eerste weer aangeboden."
          if waitlist else "Dank je voor je interesse.")
    en = ("You are on the waiting list: if the substitute drops out, you will be offered it first."
          if waitlist else "Thank you for your interest.")
    body = (f"Het invalwerk {describe(vraag, school)} is al vergeven aan een andere invaller. {nl}\n\n"
            f"---\nThe substitute work {describe(vraag, school, 'en')} has gone to someone else. {en}\n\n{SIGNATURE}")
    return Message(f"Al vergeven: {when(vraag)} bij {school.naam}", body)


def assigned(vraag: Vervangingsvraag, school: School, personal: str, *, planned: bool = False) -> Message:
    """Confirmation to the invaller who got the work (by accepting, or planned by the loket)."""
    nl = "Het loket heeft je ingepland voor" if planned else "Je hebt het invalwerk gekregen:"
    en = "The loket has planned you for" if planned else "You got the substitute work:"
    notes = f"\nOpmerking van de school: {vraag.notities}\n" if vraag.notities else ""
    body = (f"{nl} {describe(vraag, school)}.{notes}\n"
            f"Kun je toch niet? Zeg het zo snel mogelijk af op je eigen pagina:\n{personal}\n\n"
            f"---\n{en} {describe(vraag, school, 'en')}.\n"
            f"Cannot make it after all? Cancel as soon as possible on your own page:\n{personal}\n\n{SIGNATURE}")
    return Message(f"Bevestiging: {when(vraag)} bij {school.naam}", body)


def assignment_cancelled(vraag: Vervangingsvraag, school: School, *, vraag_gone: bool) -> Message:
    """To the invaller: the school no longer needs them for this work."""
    nl = "De school heeft de vraag ingetrokken." if vraag_gone else "De school heeft de toewijzing ingetrokken."
    en = "The school withdrew the request." if vraag_gone else "The school withdrew the assignment."
    body = (f"{nl} Je hoeft niet te komen: {describe(vraag, school)}.\n\n"
            f"---\n{en} You do not need to come: {describe(vraag, school, 'en')}.\n\n{SIGNATURE}")
    return Message(f"Vervalt: {when(vraag)} bij {school.naam}", body)


def offer_withdrawn(vraag: Vervangingsvraag, school: School) -> Message:
    """To an invaller with an open offer: the vraag was cancelled or changed."""
    body = (f"Het aanbod voor {describe(vraag, school)} is ingetrokken of gewijzigd. Je hoeft niets te doen.\n\n"
            f"---\nThe offer for {describe(vraag, school, 'en')} was withdrawn or changed. "
            f"You do not need to do anything.\n\n{SIGNATURE}")
    return Message(f"Ingetrokken: {when(vraag)} bij {school.naam}", body)


def invaller_cancelled(vraag: Vervangingsvraag, school: School, invaller: Invaller) -> Message:
    """To the bestuur: the invaller dropped out; loket looks for someone else."""
    body = (f"{invaller.naam} kan toch niet komen: {describe(vraag, school)}.\n"
            "Het loket zoekt meteen een andere invaller; eerst bij wie op de wachtlijst staat.\n\n"
            f"---\n{invaller.naam} cannot come after all: {describe(vraag, school, 'en')}.\n"
            f"The loket is looking for someone else right away, starting with the waiting list.\n\n{SIGNATURE}")
    return Message(f"Invaller afgemeld: {when(vraag)} bij {school.naam}", body)


def filled_notice(vraag: Vervangingsvraag, school: School, invaller: Invaller) -> Message:
    """To the bestuur: the vraag is filled."""
    body = (f"Gevonden: {invaller.naam} komt invallen. {describe(vraag, school)}.\n\n"
            f"---\nFound: {invaller.naam} will cover. {describe(vraag, school, 'en')}.\n\n{SIGNATURE}")
    return Message(f"Invaller gevonden: {when(vraag)} bij {school.naam}", body)


def escalation(vraag: Vervangingsvraag, school: School, offers: int, link: str) -> Message:
    """To the loket's coordinators: an unfilled vraag at its deadline."""
    body = (f"Nog geen invaller voor {describe(vraag, school)}.\n"
            f"Aanbiedingen verstuurd: {offers}. Urgentie: {vraag.urgentie}.\n"
            f"Bekijk de vraag en de kandidaten: {link}\n\n"
            f"---\nNo substitute yet for {describe(vraag, school, 'en')}. Offers sent: {offers}.\n\n{SIGNATURE}")
    return Message(f"Niet gevuld: {when(vraag)} bij {school.naam}", body)


def send_to_invaller(*, db_session: Session, invaller: Invaller, message: Message,
                     buttons: list[list[dict[str, str]]] | None = None, extra: dict[str, Any] | None = None) -> int:
    """Queue ``message`` on every channel the invaller has (e-mail; Telegram once linked); return how many."""
    sent = 0
    if invaller.email:
        queue(db_session=db_session, channel="email", recipient=invaller.email, subject=message.subject,
              body=message.body, payload=dict(extra or {}))
        sent += 1
    if invaller.telegram_chat_id:
        payload: dict[str, Any] = dict(extra or {})
        if buttons:
            payload["buttons"] = buttons
        queue(db_session=db_session, channel="telegram", recipient=invaller.telegram_chat_id,
              subject=message.subject, body=message.body, payload=payload)
        sent += 1
    return sent


def offer_buttons(aanbod_id: str) -> list[list[dict[str, str]]]:
    """Yes/no buttons for Telegram."""
    return [[{"text": "Ja, ik kom", "callback_data": f"aanbod:accept:{aanbod_id}"},
             {"text": "Nee, dank je", "callback_data": f"aanbod:decline:{aanbod_id}"}]]


def send_to_bestuur(*, db_session: Session, bestuur_id: str, message: Message) -> int:
    """Queue ``message`` to every active account of the bestuur; return how many."""
    emails = db_session.scalars(select(Medewerker.email).where(
        Medewerker.bestuur_id == bestuur_id, Medewerker.rol == "bestuur", Medewerker.actief.is_(True))).all()
    for email in emails:
        queue(db_session=db_session, channel="email", recipient=email, subject=message.subject, body=message.body)
    return len(emails)


def send_to_loket(*, db_session: Session, message: Message) -> int:
    """Queue ``message`` to the loket's coordinators; return how many."""
    emails = db_session.scalars(select(Medewerker.email).where(
        Medewerker.rol == "coordinator", Medewerker.actief.is_(True))).all()
    for email in emails:
        queue(db_session=db_session, channel="email", recipient=email, subject=message.subject, body=message.body)
    return len(emails)
