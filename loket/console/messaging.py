"""Texts the console sends to people: the reviewed advice and replies in the person's language
(knowledge/texts/service.yaml); invitations and reminders for staff in Dutch."""

from __future__ import annotations

from datetime import date

from loket.i18n import day_text, text


def advice_message(*, language: str, title: str, reason: str | None, overridden: bool) -> str:
    """The message that tells a person the advice staff approved (or chose instead), in their language."""
    lines = [text("advice_overridden" if overridden else "advice_approved", language, title=title)]
    if reason:
        lines.append(text("advice_why", language, reason=reason))
    lines.append(text("advice_next", language))
    return "\n".join(lines)


def advice_subject(language: str) -> str:
    """The e-mail subject of the reviewed advice."""
    return text("advice_subject", language)


def reply_subject(language: str) -> str:
    """The e-mail subject of a staff reply to a contact request."""
    return text("reply_subject", language)


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
