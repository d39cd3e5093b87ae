"""What the Telegram channel says itself (in the loket's five languages), and a Turn or an advice as chat messages.

The intake's own questions and answers come from the engine (knowledge/intake/); this module only adds
the channel's words (commands, codes, linking) and lays the engine's Turn out as Telegram messages.
"""

from __future__ import annotations

from typing import Any

from bot.telegram import split_text
from knowledge import KNOWLEDGE_DIR
from knowledge.schema.text import LANGUAGES, load_text_file

# key -> language -> text, from knowledge/texts/telegram.yaml (all languages together, as data).
TEXTS: dict[str, dict[str, str]] = {
    key: {lang: value for lang in LANGUAGES if (value := getattr(entry, lang))}
    for key, entry in load_text_file(KNOWLEDGE_DIR, "telegram").items()
}

_FIT_ICON = {"yes": "✅", "maybe": "🟡", "no": "❌"}
MAX_MATCHES = 5


def say(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (English for a missing translation, Dutch when unknown)."""
    entry = TEXTS[key]
    fallback = entry["nl"] if language == "nl" or language not in LANGUAGES else entry.get("en", entry["nl"])
    return entry.get(language, fallback).format(**values)


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
    from loket.i18n import number_text

    return number_text(round(value, 1), language)


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
