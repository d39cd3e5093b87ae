"""Texts the console sends to people (Dutch B1 and English): the reviewed advice, replies, reminders."""

from __future__ import annotations

from datetime import date

from loket.i18n import day_text

_ADVICE = {
    "nl": {
        "approved": "Een medewerker van het loket heeft je advies bekeken. Ons advies voor jou: {title}.",
        "overridden": "Een medewerker van het loket heeft je advies bekeken en aangepast. "
        "Ons advies voor jou is nu: {title}.",
        "why": "Waarom: {reason}",
        "next": "Wil je hierover praten? Typ dan 'ik wil iemand spreken'.",
        "subject": "Je advies van het Onderwijsloket",
    },
    "en": {
        "approved": "Someone from the loket has looked at your advice. Our advice for you: {title}.",
        "overridden": "Someone from the loket has looked at your advice and changed it. "
        "Our advice for you is now: {title}.",
        "why": "Why: {reason}",
        "next": "Would you like to talk about it? Type 'I want to talk to someone'.",
        "subject": "Your advice from the Onderwijsloket",
    },
}


def advice_message(*, language: str, title: str, reason: str | None, overridden: bool) -> str:
    """The message that tells a person the advice staff approved (or chose instead)."""
    t = _ADVICE.get(language, _ADVICE["nl"])
    lines = [t["overridden" if overridden else "approved"].format(title=title)]
    if reason:
        lines.append(t["why"].format(reason=reason))
    lines.append(t["next"])
    return "\n".join(lines)


def advice_subject(language: str) -> str:
    """The e-mail subject of the reviewed advice."""
    return _ADVICE.get(language, _ADVICE["nl"])["subject"]


def reply_subject(language: str) -> str:
    """The e-mail subject of a staff reply to a contact request."""
    return "Antwoord van het Onderwijsloket" if language != "en" else "Reply from the Onderwijsloket"


def invite_email(*, naam: str, rol: str, link: str, days: int) -> tuple[str, str]:
    """Subject and body of an invitation to a new account."""
    body = (
        f"Beste {naam},\n\n"
        f"Je hebt een account gekregen voor het Onderwijsloket Midden-Nederland (rol: {rol}).\n"
        f"Kies je wachtwoord via deze link:\n{link}\n\n"
        f"De link werkt {days} dagen en maar één keer.\n"
        "Werkt hij niet meer? Vraag de beheerder om een nieuwe.\n\n"
        "Groet,\nOnderwijsloket Midden-Nederland"
    )
    return "Je account voor het Onderwijsloket", body


def reminder_email(
    *, naam: str, kandidaat: str, datum: date, notitie: str | None, link: str
) -> tuple[str, str]:
    """Subject and body of a follow-up reminder to a staff member."""
    body = (
        f"Beste {naam},\n\n"
        f"Je wilde vandaag ({day_text(datum, 'nl')}) verder met {kandidaat}.\n"
        + (f"Je notitie: {notitie}\n" if notitie else "")
        + f"Open de kandidaat: {link}\n\nOnderwijsloket Midden-Nederland"
    )
    return f"Herinnering: opvolgen {kandidaat}", body
