"""Short texts the service itself shows (errors, pages), in Dutch (B1) and English.

Texts of the conversation and the advice live in ``knowledge/``; these are the service's own words.
"""

from __future__ import annotations

from starlette.requests import Request

TEXTS: dict[str, dict[str, str]] = {
    "invalid_input": {
        "nl": "Dat bericht kunnen we niet lezen. Controleer wat je stuurt en probeer het opnieuw.",
        "en": "We cannot read that request. Please check what you sent and try again.",
    },
    "not_found": {
        "nl": "Dat hebben we niet gevonden. Misschien is de link verlopen.",
        "en": "We could not find that. The link may have expired.",
    },
    "session_not_found": {
        "nl": "Dit gesprek bestaat niet (meer). Begin een nieuw gesprek.",
        "en": "This conversation does not exist (any more). Please start a new one.",
    },
    "unauthorized": {
        "nl": "Je hebt geen toegang tot dit gesprek. Gebruik de link of code die je kreeg.",
        "en": "You do not have access to this conversation. Use the link or code you were given.",
    },
    "too_long": {
        "nl": "Je bericht is te lang. Houd het korter dan {limit} tekens.",
        "en": "Your message is too long. Please keep it under {limit} characters.",
    },
    "too_large": {
        "nl": "Dit verzoek is te groot.",
        "en": "This request is too large.",
    },
    "method_not_allowed": {
        "nl": "Dat kan op dit adres niet.",
        "en": "That is not possible at this address.",
    },
    "db_unavailable": {
        "nl": "Het loket is even niet bereikbaar. Je gegevens zijn veilig. Probeer het over een paar minuten opnieuw.",
        "en": "The loket is unavailable for a moment. Your data is safe. Please try again in a few minutes.",
    },
    "internal": {
        "nl": "Er ging iets mis bij ons. Je antwoorden zijn bewaard. Probeer het nog een keer.",
        "en": "Something went wrong on our side. Your answers are saved. Please try again.",
    },
    "busy": {
        "nl": "We verwerken je vorige bericht nog. Wacht even en probeer het opnieuw.",
        "en": "We are still handling your previous message. Please wait a moment and try again.",
    },
    "blocked": {
        "nl": "Dit gesprek is gestopt door het loket. Neem contact op met het loket als dit niet klopt.",
        "en": "This conversation was stopped by the loket. Please contact the loket if this is a mistake.",
    },
    "rate_limited": {
        "nl": "Je stuurt veel berichten kort na elkaar. Wacht even en probeer het dan opnieuw.",
        "en": "You are sending many messages in a short time. Please wait a moment and try again.",
    },
}


def language_of(request: Request) -> str:
    """The person's language: ``?lang=``, else the browser's Accept-Language, else Dutch."""
    lang = request.query_params.get("lang", "")
    if lang in ("nl", "en"):
        return lang
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in ("nl", "en"):
            return code
    return "nl"


def text(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (Dutch when unknown), with ``values`` filled in."""
    entry = TEXTS[key]
    return entry.get(language, entry["nl"]).format(**values)

TEXTS.update({
    "login_required": {
        "nl": "Log eerst in.",
        "en": "Please log in first.",
    },
    "forbidden": {
        "nl": "Je hebt geen toegang tot deze pagina of actie. Denk je dat dit niet klopt? Vraag het de beheerder.",
        "en": "You do not have access to this page or action. If you think this is wrong, ask the administrator.",
    },
    "resume_code": {
        "nl": "Met code {code} kun je later verder, ook op een ander apparaat of in Telegram. "
              "De code werkt tot {until}.",
        "en": "With code {code} you can continue later, also on another device or in Telegram. "
              "The code works until {until}.",
    },
    "handoff_promise": {
        "nl": "Dank je. Een medewerker van het loket neemt uiterlijk {day} contact met je op via {contact}.",
        "en": "Thank you. Someone from the loket will contact you by {day} at the latest, via {contact}.",
    },
    "erased": {
        "nl": "Je gegevens zijn verwijderd. Je bewijs van verwijdering: {receipt}.",
        "en": "Your data has been erased. Your receipt: {receipt}.",
    },
})

_WEEKDAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def day_text(day: object, language: str) -> str:
    """``dinsdag 1 december`` / ``Tuesday 1 December`` for a date."""
    lang = language if language in _WEEKDAYS else "nl"
    return f"{_WEEKDAYS[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]}"  # type: ignore[attr-defined]
