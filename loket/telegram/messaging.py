"""What the Telegram channel says itself (Dutch B1 and English), and a Turn or an advice as chat messages.

The intake's own questions and answers come from the engine (knowledge/intake/); this module only adds
the channel's words (commands, codes, linking) and lays the engine's Turn out as Telegram messages.
"""

from __future__ import annotations

from typing import Any

from bot.telegram import split_text

TEXTS: dict[str, dict[str, str]] = {
    "commands": {
        "nl": "Dit kun je typen:\n/start – beginnen of verdergaan\n/wijzig – een antwoord veranderen\n"
              "/opnieuw – opnieuw beginnen\n/stop – even stoppen\n/taal – Nederlands of English\n"
              "/mens – met iemand van het loket praten\n/verwijder – je gegevens wissen\n"
              "/code – verdergaan met je code van de website\n"
              "/gesprek – ik ben leraar en wil een loopbaangesprek",
        "en": "You can type:\n/start – start or continue\n/wijzig – change an answer\n/opnieuw – start "
              "again\n"
              "/stop – pause\n/taal – Dutch or English\n/mens – talk to someone at the loket\n"
              "/verwijder – erase your data\n/code – continue with your code from the website\n"
              "/gesprek – I am a teacher and want a career conversation",
    },
    "gesprek_already": {
        "nl": "Je was al bezig met je aanvraag voor een loopbaangesprek. We gaan verder waar je was.",
        "en": "You had already started your request for a career conversation. Let's continue where you were.",
    },
    "gesprek_back": {
        "nl": "Je aanvraag voor een loopbaangesprek is klaar. Wil je ook weten hoe je in het onderwijs kunt "
              "werken? Typ dan /start.",
        "en": "Your request for a career conversation is done. Do you also want to know how you can work in "
              "education? Then type /start.",
    },
    "gesprek_left": {
        "nl": "We stoppen met de aanvraag voor een loopbaangesprek. Met /gesprek begin je die opnieuw.",
        "en": "We stop the request for a career conversation. Type /gesprek to start it again.",
    },
    "unknown_command": {
        "nl": "Dat commando ken ik niet.",
        "en": "I do not know that command.",
    },
    "already_started": {
        "nl": "Je was al bezig. We gaan verder waar je was. Wil je opnieuw beginnen? Typ dan /opnieuw.",
        "en": "You had already started. Let's continue where you were. To start again, type /opnieuw.",
    },
    "no_session": {
        "nl": "Je bent nog niet begonnen. Typ /start om te beginnen.",
        "en": "You have not started yet. Type /start to begin.",
    },
    "only_text": {
        "nl": "Ik kan alleen tekst lezen. Typ je antwoord of kies een knop.",
        "en": "I can only read text. Please type your answer or choose a button.",
    },
    "too_long": {
        "nl": "Je bericht is te lang. Houd het korter dan {limit} tekens.",
        "en": "Your message is too long. Please keep it under {limit} characters.",
    },
    "code_missing": {
        "nl": "Stuur je code zo: /code K7QM-2XPD",
        "en": "Send your code like this: /code K7QM-2XPD",
    },
    "code_unknown": {
        "nl": "Die code ken ik niet, of hij is verlopen. Kijk de code na, of begin opnieuw met /start.",
        "en": "I do not know that code, or it has expired. Please check the code, or start again with "
              "/start.",
    },
    "resumed": {
        "nl": "Gelukt. We gaan verder met je gesprek.",
        "en": "Done. Let's continue your conversation.",
    },
    "moved": {
        "nl": "Je gesprek gaat nu verder op een ander apparaat. Wil je hier verder? Stuur dan je code met "
              "/code. "
              "Of begin opnieuw met /start.",
        "en": "Your conversation now continues on another device. To continue here, send your code with "
              "/code. "
              "Or start again with /start.",
    },
    "blocked": {
        "nl": "Dit gesprek is gestopt door het loket. Neem contact op met het loket als dit niet klopt.",
        "en": "This conversation was stopped by the loket. Please contact the loket if this is a mistake.",
    },
    "choose_language": {
        "nl": "Welke taal wil je? / Which language do you want?",
        "en": "Which language do you want? / Welke taal wil je?",
    },
    "language_set": {
        "nl": "Ik praat nu Nederlands met je.",
        "en": "I will talk to you in English now.",
    },
    "erased_chat": {
        "nl": "Je gegevens bij het loket zijn gewist en deze chat is losgekoppeld. Met /start begin je "
              "opnieuw.",
        "en": "Your data at the loket has been erased and this chat is unlinked. Type /start to begin again.",
    },
    "linked_invaller": {
        "nl": "Gelukt, {naam}. Je Telegram is gekoppeld aan je invalprofiel. Aanvragen voor invalwerk krijg "
              "je "
              "nu ook hier, met knoppen om te accepteren of te weigeren.",
        "en": "Done, {naam}. Your Telegram is linked to your supply-teacher profile. You will now also get "
              "requests for cover work here, with buttons to accept or decline.",
    },
    "linked_coach": {
        "nl": "Gelukt, {naam}. Je Telegram is gekoppeld aan je coachprofiel. Nieuwe aanvragen voor een "
              "loopbaangesprek krijg je nu ook hier.",
        "en": "Done, {naam}. Your Telegram is linked to your coach profile. You will now also get new "
              "requests "
              "for a career conversation here.",
    },
    "linked_choose": {
        "nl": "Je hebt {n} open aanvragen. Kies bij de aanvraag die je bedoelt 'Accepteer' of 'Weiger'.",
        "en": "You have {n} open requests. Choose 'Accept' or 'Decline' at the request you mean.",
    },
    "linked_choose_one": {
        "nl": "Wil je deze aanvraag aannemen? Kies 'Accepteer' of 'Weiger', of typ 'ja' of 'nee'.",
        "en": "Would you like to take this request? Choose 'Accept' or 'Decline', or type 'yes' or 'no'.",
    },
    "linked_no_offers": {
        "nl": "Je hebt nu geen open aanvragen. Nieuwe aanvragen krijg je hier, met knoppen. Wil je weten welke "
              "opleiding bij je past? Typ /start. Hulp: /help.",
        "en": "You have no open requests now. New requests arrive here, with buttons. Want to know which "
              "training suits you? Type /start. Help: /help.",
    },
    "linked_coach_offer": {
        "nl": "Een aanvraag voor een loopbaangesprek.",
        "en": "A request for a career conversation.",
    },
    "stale_button": {
        "nl": "Deze knop hoort bij een eerder bericht en doet niets meer.",
        "en": "This button belongs to an earlier message and no longer works.",
    },
    "not_yours": {
        "nl": "Deze aanvraag is niet (meer) voor jou.",
        "en": "This request is not (or no longer) for you.",
    },
    "not_available": {
        "nl": "Dit kan via Telegram nog niet. Gebruik de link in je e-mail.",
        "en": "This is not yet possible on Telegram. Please use the link in your e-mail.",
    },
    "failed": {
        "nl": "Er ging bij ons iets mis met je bericht. Je antwoorden zijn bewaard. Probeer het straks nog "
              "eens.",
        "en": "Something went wrong on our side with your message. Your answers are saved. Please try again "
              "later.",
    },
    # The advice
    "advice": {"nl": "Jouw advies", "en": "Your advice"},
    "routes": {"nl": "Routes die bij je passen", "en": "Routes that suit you"},
    "no_routes": {
        "nl": "Er is nu geen route die zeker past. Hieronder lees je waarom, en wat je kunt doen.",
        "en": "No route fits for sure right now. Below you can read why, and what you can do.",
    },
    "other_routes": {"nl": "Waarom andere routes niet passen", "en": "Why other routes do not fit"},
    "fit_yes": {"nl": "Past", "en": "Fits"},
    "fit_maybe": {"nl": "Past misschien", "en": "Might fit"},
    "fit_no": {"nl": "Past niet", "en": "Does not fit"},
    "duration": {"nl": "Duur: {min} tot {max} maanden", "en": "Duration: {min} to {max} months"},
    "duration_one": {"nl": "Duur: {n} maanden", "en": "Duration: {n} months"},
    "income_yes": {"nl": "Je verdient tijdens de opleiding.", "en": "You earn while you learn."},
    "income_no": {"nl": "Je verdient niet tijdens de opleiding.", "en": "You do not earn while you learn."},
    "costs": {"nl": "Kosten: {costs}", "en": "Costs: {costs}"},
    "where": {"nl": "Waar: {places}", "en": "Where: {places}"},
    "sources": {"nl": "Bron: {sources}", "en": "Source: {sources}"},
    "vacatures": {"nl": "Vacatures", "en": "Vacancies"},
    "invalpool": {"nl": "Invalwerk in de regio", "en": "Supply work in the region"},
    "distance": {"nl": "{km} km van je woonplaats", "en": "{km} km from where you live"},
    "missing": {"nl": "Nog nodig: {items}", "en": "Still needed: {items}"},
    "next_steps": {"nl": "Wat kun je nu doen?", "en": "What can you do now?"},
}

_FIT_ICON = {"yes": "✅", "maybe": "🟡", "no": "❌"}
MAX_MATCHES = 5


def say(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (Dutch when unknown), with ``values`` filled in."""
    entry = TEXTS[key]
    return entry.get(language, entry["nl"]).format(**values)


def part(text: str, buttons: list[Any] | None = None) -> dict[str, Any]:
    """One outgoing Telegram message as plain data (stored in the outbox payload)."""
    return {"text": text, "buttons": list(buttons or [])}


def turn_parts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The engine's Turn (as the API returns it) as Telegram messages; an advice comes before the
    closing message so that the buttons of the last question stay at the bottom."""
    language = body.get("language", "nl")
    parts = [
        part(str(m.get("text") or ""), [{"label": q["label"], "value": q["value"]}
                                        for q in m.get("quick_replies") or []])
        for m in body.get("messages") or [] if m.get("text") or m.get("quick_replies")
    ]
    advice = body.get("advice")
    if advice:
        advice_parts = [part(t) for t in advice_messages(advice, language)]
        at = len(parts) - 1 if parts and parts[-1]["buttons"] else len(parts)
        parts[at:at] = advice_parts
    return [p for piece in parts for p in _split(piece)]


def _split(piece: dict[str, Any]) -> list[dict[str, Any]]:
    texts = split_text(piece["text"])
    return [part(t) for t in texts[:-1]] + [part(texts[-1], piece["buttons"])]


def _number(value: float, language: str) -> str:
    text = f"{round(value, 1):g}"
    return text.replace(".", ",") if language == "nl" else text


def _route(route: dict[str, Any], language: str, *, brief: bool) -> str:
    fit = route.get("fit") if route.get("fit") in ("yes", "maybe") else "no"
    lines = [f"{_FIT_ICON[fit]} {route.get('title') or route.get('id')} — {say('fit_' + fit, language)}"]
    lines += [f"• {reason}" for reason in route.get("reasons") or []]
    if brief:
        return "\n".join(lines)
    months = route.get("duration_months")
    if months and len(months) == 2:
        lines.append(say("duration_one", language, n=months[0]) if months[0] == months[1]
                     else say("duration", language, min=months[0], max=months[1]))
    if route.get("income_while_learning") is not None:
        lines.append(say("income_yes" if route["income_while_learning"] else "income_no", language))
    if route.get("costs"):
        lines.append(say("costs", language, costs=route["costs"]))
    if route.get("institutions"):
        lines.append(say("where", language, places=", ".join(route["institutions"])))
    if route.get("sources"):
        lines.append(say("sources", language, sources=" ".join(route["sources"][:2])))
    return "\n".join(lines)


def _match(match: dict[str, Any], language: str) -> str:
    lines = [f"▪️ {match.get('title') or ''}"]
    where = ", ".join(str(x) for x in (match.get("school"), match.get("place")) if x)
    if where:
        lines.append(where)
    if isinstance(match.get("distance_km"), int | float):
        lines.append(say("distance", language, km=_number(float(match["distance_km"]), language)))
    lines += [f"• {reason}" for reason in match.get("reasons") or []]
    if match.get("missing"):
        lines.append(say("missing", language, items=", ".join(match["missing"])))
    return "\n".join(lines)


def advice_messages(advice: dict[str, Any], language: str) -> list[str]:
    """An advice as readable chat messages: fitting routes with reasons, the others briefly with why not,
    vacatures and invalwerk, and the next steps."""
    routes = advice.get("routes") or []
    fitting = [r for r in routes if r.get("fit") in ("yes", "maybe")]
    other = [r for r in routes if r.get("fit") not in ("yes", "maybe")]
    messages = []
    head = f"{say('advice', language)}\n\n{say('routes', language)}"
    if fitting:
        messages.append(head + "\n\n" + "\n\n".join(_route(r, language, brief=False) for r in fitting))
    else:
        messages.append(head + "\n\n" + say("no_routes", language))
    if other:
        messages.append(say("other_routes", language) + "\n\n"
                        + "\n\n".join(_route(r, language, brief=True) for r in other))
    for key in ("vacatures", "invalpool"):
        found = (advice.get(key) or [])[:MAX_MATCHES]
        if found:
            messages.append(say(key, language) + "\n\n" + "\n\n".join(_match(m, language) for m in found))
    steps = advice.get("next_steps") or []
    if steps:
        messages.append(say("next_steps", language) + "\n\n"
                        + "\n".join(f"{i}. {step}" for i, step in enumerate(steps, start=1)))
    return messages
