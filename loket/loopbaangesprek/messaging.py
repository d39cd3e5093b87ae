"""Texts sent to teachers and coaches about a loopbaangesprek (Dutch B1 and English), and the .ics invite."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from loket.coach.models import Coach
from loket.i18n import day_text
from loket.loopbaangesprek.models import Loopbaangesprek

LOCAL = ZoneInfo("Europe/Amsterdam")
DURATION = timedelta(minutes=60)
SIGN = "\n\nOnderwijsloket Midden-Nederland"

TAG_LABELS = {
    "overstap po-vo-mbo": {"nl": "overstap naar vo of mbo",
                           "en": "moving to secondary or vocational education"},
    "leiderschap": {"nl": "leiderschap", "en": "leadership"},
    "vitaliteit en verzuim": {"nl": "vitaliteit, werkdruk en verzuim",
                              "en": "wellbeing, workload and sick leave"},
    "starters en inductie": {"nl": "starter (eerste drie jaar)", "en": "starter (first three years)"},
    "zij-instroom": {"nl": "zij-instroom", "en": "career switch into teaching"},
    "specialist": {"nl": "specialist worden", "en": "becoming a specialist"},
    "uitstroom": {"nl": "het onderwijs verlaten", "en": "leaving education"},
}
UITKOMST_LABELS = {
    "blijft": {"nl": "Ik blijf op mijn school", "en": "I stay at my school"},
    "andere_school": {"nl": "Ik ga naar een andere school", "en": "I move to another school"},
    "andere_sector": {"nl": "Ik ga naar een andere sector in het onderwijs (vo, mbo)",
                      "en": "I move to another sector in education"},
    "opleiding": {"nl": "Ik ga een opleiding of scholing volgen", "en": "I start a training"},
    "verlaat_onderwijs": {"nl": "Ik ga uit het onderwijs", "en": "I leave education"},
}


def tag_label(tag: str, lang: str = "nl") -> str:
    """The readable name of an expertise tag."""
    return TAG_LABELS.get(tag, {}).get(lang, tag)


def local(moment: datetime) -> datetime:
    """``moment`` in Dutch local time."""
    return moment.astimezone(LOCAL)


def when_text(moment: datetime, lang: str = "nl") -> str:
    """``woensdag 2 december om 14:00`` in Dutch local time."""
    at = local(moment)
    return f"{day_text(at.date(), lang)} {'om' if lang == 'nl' else 'at'} {at:%H:%M}"


def promise_text(day: date | None, lang: str, sla_days: int) -> str:
    """The honest sentence about when the teacher will be contacted."""
    if day is None:
        if lang == "en":
            return ("Right now no coach is free for your question. A coordinator of the loket looks for "
                    f"a coach and will contact you within {sla_days} working days.")
        return (f"Op dit moment is er geen coach vrij voor je vraag. Een coördinator van het loket zoekt een "
                f"coach en neemt binnen {sla_days} werkdagen contact met je op.")
    if lang == "en":
        return f"A coach will contact you by {day_text(day, 'en')} at the latest."
    return f"Een coach neemt uiterlijk {day_text(day, 'nl')} contact met je op."


def confirmation(gesprek: Loopbaangesprek, day: date | None, sla_days: int) -> tuple[str, str]:
    """Subject and body of the confirmation to the teacher."""
    lang = gesprek.taal
    topics = ", ".join(tag_label(t, lang) for t in gesprek.tags) or ("—" if lang == "nl" else "-")
    if lang == "en":
        return ("Your request for a career conversation", (
            f"Dear {gesprek.naam},\n\nThank you for your request for a career conversation about: {topics}.\n"
            f"{promise_text(day, lang, sla_days)}\nYour coach never works for your own school board.\n\n"
            "Kind regards,\nOnderwijsloket Midden-Nederland"))
    return ("Je aanvraag voor een loopbaangesprek", (
        f"Beste {gesprek.naam},\n\nDank je voor je aanvraag voor een loopbaangesprek over: {topics}.\n"
        f"{promise_text(day, lang, sla_days)}\nJe coach werkt nooit bij je eigen schoolbestuur.\n\n"
        "Met vriendelijke groet,\nOnderwijsloket Midden-Nederland"))


def coach_offer(gesprek: Loopbaangesprek, coach: Coach, link: str, deadline: datetime,
                home: str) -> tuple[str, str]:
    """Subject and body of the offer to a coach. No name or contact details: those follow on accepting."""
    topics = ", ".join(tag_label(t) for t in gesprek.tags) or "geen onderwerp gekozen"
    urgent = "\nDe leraar geeft aan dat het dringend is." if gesprek.urgentie == "hoog" else ""
    return ("Nieuwe aanvraag voor een loopbaangesprek", (
        f"Beste {coach.naam},\n\nEen leraar vraagt een loopbaangesprek. Onderwerpen: {topics}.{urgent}\n"
        f"Wil je laten weten of je dit gesprek kunt doen? Dat kan tot {when_text(deadline)}.\n"
        f"Daarna gaat de aanvraag naar een andere coach.\n\nAccepteren of afwijzen: {link}\n\n"
        f"Je ziet de aanvraag ook op je pagina in het loket: {home}{SIGN}"))


def accepted(gesprek: Loopbaangesprek, coach: Coach) -> tuple[str, str]:
    """Subject and body to the teacher once a coach accepted."""
    if gesprek.taal == "en":
        return ("A coach will contact you", (
            f"Dear {gesprek.naam},\n\n{coach.naam} will be your coach and will soon propose times for the "
            "conversation.\n\nOnderwijsloket Midden-Nederland"))
    return ("Een coach neemt contact met je op", (
        f"Beste {gesprek.naam},\n\n{coach.naam} is je coach en stelt binnenkort tijden voor het gesprek "
        f"voor.{SIGN}"))


def choose_time(gesprek: Loopbaangesprek, coach: Coach, link: str) -> tuple[str, str]:
    """Subject and body asking the teacher to pick one of the proposed times."""
    lang = gesprek.taal
    times = "\n".join(f"- {when_text(datetime.fromisoformat(t), lang)}" for t in gesprek.voorgestelde_tijden)
    if lang == "en":
        return ("Choose a time for your career conversation", (
            f"Dear {gesprek.naam},\n\n{coach.naam} proposes these times:\n{times}\n\n"
            f"Choose one here: {link}{SIGN}"))
    return ("Kies een tijd voor je loopbaangesprek", (
        f"Beste {gesprek.naam},\n\n{coach.naam} stelt deze tijden voor:\n{times}\n\n"
        f"Kies er een via deze link: {link}{SIGN}"))


def appointment(name: str, other: str, when: datetime, lang: str = "nl") -> tuple[str, str]:
    """Subject and body of the invite (the .ics is attached)."""
    if lang == "en":
        return ("Appointment: career conversation", (
            f"Dear {name},\n\nThe career conversation with {other} is on {when_text(when, 'en')}.\n"
            "The invite for your calendar is attached.\n\nOnderwijsloket Midden-Nederland"))
    return ("Afspraak: loopbaangesprek", (
        f"Beste {name},\n\nHet loopbaangesprek met {other} is op {when_text(when)}.\n"
        "De uitnodiging voor je agenda zit in de bijlage.\n\nOnderwijsloket Midden-Nederland"))


def reminder(name: str, other: str, when: datetime, lang: str = "nl") -> tuple[str, str]:
    """Subject and body of the reminder the day before."""
    if lang == "en":
        return ("Reminder: career conversation tomorrow",
                f"Dear {name},\n\nA reminder: tomorrow, {when_text(when, 'en')}, you have the career "
                f"conversation with {other}.{SIGN}")
    return ("Herinnering: morgen je loopbaangesprek",
            f"Beste {name},\n\nEen herinnering: morgen, {when_text(when)}, heb je het loopbaangesprek "
            f"met {other}.{SIGN}")


def feedback_request(gesprek: Loopbaangesprek, link: str) -> tuple[str, str]:
    """Subject and body asking the teacher for short feedback after the conversation."""
    if gesprek.taal == "en":
        return ("How was your career conversation?",
                f"Dear {gesprek.naam},\n\nHow was the conversation? Two short questions take a minute: "
                f"{link}{SIGN}")
    return ("Hoe was je loopbaangesprek?",
            f"Beste {gesprek.naam},\n\nHoe was het gesprek? Twee korte vragen, dat kost een minuut: "
            f"{link}{SIGN}")


def ics_invite(*, uid: str, start: datetime, teacher: tuple[str, str | None], coach: tuple[str, str | None],
               organiser_email: str, stamp: datetime, sequence: int = 0) -> str:
    """An iCalendar (RFC 5545) REQUEST for the conversation, times in UTC."""
    cal = Calendar()
    cal.add("prodid", "-//Onderwijsloket Midden-Nederland//loket//NL")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{uid}@loket")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    event.add("sequence", sequence)
    event.add("summary", "Loopbaangesprek")
    event.add("description", f"Loopbaangesprek van {teacher[0]} met coach {coach[0]}.")
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["cn"] = vText("Onderwijsloket Midden-Nederland")
    event["organizer"] = organizer
    for name, address in (teacher, coach):
        if address:
            attendee = vCalAddress(f"mailto:{address}")
            attendee.params["cn"] = vText(name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical().decode()
