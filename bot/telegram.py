"""The python-telegram-bot (v22) adapter: Telegram updates in, a ``Desk`` call, Telegram replies out.

The handlers only translate. A handler turns an update into a plain ``ChatEvent`` and gives it to the
``Desk`` of the current update (the service side: intake engine, links, offers); the desk stores what
to say in the outbox. The handler's own Telegram work is small: answer a pressed button and mark the
choice under its message. Nothing here knows the intake's questions or touches a database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest

from knowledge.schema.text import Lang

log = logging.getLogger("loket.telegram")

# Telegram refuses callback data longer than this many bytes.
CALLBACK_MAX_BYTES = 64
HASHED_PREFIX = "h:"
# Commands the bot knows; anything else gets the list of these.
COMMANDS = ("start", "wijzig", "opnieuw", "stop", "taal", "mens", "verwijder", "code", "help", "gesprek")
# Telegram's limit is 4096 characters per message; a little room for the "» choice" mark.
MESSAGE_MAX_CHARS = 4000

EventKind = Literal["command", "text", "button", "other"]


@dataclass(frozen=True)
class ChatEvent:
    """One thing a person did in a private chat, in plain data."""

    update_id: int
    chat_id: str
    kind: EventKind
    text: str = ""  # typed text, a button's callback data, or the words after a command
    command: str | None = None  # without the slash and without "@botname"
    language_code: str | None = None  # Telegram's IETF tag of the person's app, e.g. "nl" or "en-GB"


@dataclass
class Reaction:
    """What the handler shows on Telegram itself besides the queued messages."""

    toast: str | None = None  # a short notice on a pressed button (callback answer)
    mark_choice: bool = True  # show the pressed button's label under its message and remove the keyboard


class Desk(Protocol):
    """The service side of one update (see ``loket.telegram.flows.LoketDesk``)."""

    def handle(self, event: ChatEvent) -> Reaction: ...


@dataclass
class _Dispatch:
    desk: Desk
    errors: list[BaseException] = field(default_factory=list)


_CURRENT: ContextVar[_Dispatch] = ContextVar("loket_telegram_dispatch")


class HandlerFailed(Exception):
    """A handler raised while processing an update; the caller rolls back and retries later."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error


# ----------------------------------------------------------------------------- plain helpers


def language_from(code: str | None) -> Lang:
    """The chat language for a Telegram app's ``language_code``: Dutch for a Dutch (Frisian, Limburgish)
    or unknown app, Arabic, Ukrainian or Turkish for those, English for any other language."""
    if not code:
        return "nl"
    primary = code.lower().replace("_", "-").split("-")[0]
    if primary in ("nl", "fy", "li"):
        return "nl"
    return primary if primary in ("ar", "uk", "tr") else "en"  # type: ignore[return-value]


def callback_data(value: str) -> str:
    """The callback data for a button value; a value too long for Telegram is sent as its hash."""
    if len(value.encode("utf-8")) <= CALLBACK_MAX_BYTES:
        return value
    return HASHED_PREFIX + hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]


def resolve_callback(data: str, offered: Iterable[str]) -> str:
    """The button value behind ``data``: itself, or the offered value whose hash it is."""
    if not data.startswith(HASHED_PREFIX):
        return data
    for value in offered:
        if callback_data(value) == data:
            return value
    return data  # a hash of an old button: the engine answers it as a stale value


def button_rows(buttons: Sequence[Any]) -> list[list[dict[str, str]]]:
    """Normalise buttons (a flat list or rows; ``label``/``text`` with ``value``/``data``/``url``/``action``)
    into rows of ``{"text", "callback_data" | "url"}``; short labels two to a row."""
    if not buttons:
        return []
    if all(isinstance(row, list | tuple) for row in buttons):
        return [[_button(b) for b in row] for row in buttons if row]
    flat = [_button(b) for b in buttons]
    rows: list[list[dict[str, str]]] = []
    for button in flat:
        short = len(button["text"]) <= 18
        if short and rows and len(rows[-1]) == 1 and len(rows[-1][0]["text"]) <= 18 and "url" not in button:
            rows[-1].append(button)
        else:
            rows.append([button])
    return rows


def _button(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ValueError(f"a button must be an object, got {type(raw).__name__}")
    text = str(raw.get("label") or raw.get("text") or "").strip()
    if not text:
        raise ValueError("a button needs a label")
    if raw.get("url"):
        url = str(raw["url"])
        if not url.startswith(("https://", "http://", "tg://")):
            raise ValueError(f"a button URL must start with https://, got {url[:40]!r}")
        return {"text": text[:64], "url": url}
    if raw.get("action"):
        data = f"a:{raw['action']}:{raw.get('id', '')}"
    else:
        data = str(raw.get("callback_data") or raw.get("data") or raw.get("value") or "")
    if not data:
        raise ValueError(f"button {text!r} has no value, action or url")
    data = callback_data(data)
    if len(data.encode("utf-8")) > CALLBACK_MAX_BYTES:
        raise ValueError(f"button {text!r}: callback data longer than {CALLBACK_MAX_BYTES} bytes")
    return {"text": text[:64], "callback_data": data}


def keyboard(rows: list[list[dict[str, str]]]) -> InlineKeyboardMarkup | None:
    """An inline keyboard for normalised button rows (None without buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b["text"], url=b.get("url"), callback_data=b.get("callback_data")) for b in row]
        for row in rows
    ])


def split_text(text: str, limit: int = MESSAGE_MAX_CHARS) -> list[str]:
    """Split a long text into Telegram-sized pieces, at blank lines or line ends where possible."""
    text = text.strip() or "…"
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


def _command_of(text: str) -> tuple[str, str]:
    head, _, rest = text.strip().partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return name, rest.strip()


def _chat_id(update: Update) -> str | None:
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return None  # the bot talks one to one; groups and channels are ignored
    return str(chat.id)


def _language_code(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user else None


# ----------------------------------------------------------------------------- handlers


def _desk_handle(event: ChatEvent) -> Reaction:
    return _CURRENT.get().desk.handle(event)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /code, /taal … (and unknown commands): the desk decides what they mean."""
    chat_id, message = _chat_id(update), update.effective_message
    if chat_id is None or message is None or message.text is None:
        return
    name, rest = _command_of(message.text)
    _desk_handle(ChatEvent(update.update_id, chat_id, "command", rest, name, _language_code(update)))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text goes to the desk as it is."""
    chat_id, message = _chat_id(update), update.effective_message
    if chat_id is None or message is None or message.text is None:
        return
    _desk_handle(ChatEvent(update.update_id, chat_id, "text", message.text, None, _language_code(update)))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, sticker, voice note …: the desk explains that only text is read."""
    chat_id = _chat_id(update)
    if chat_id is None or update.effective_message is None:
        return
    _desk_handle(ChatEvent(update.update_id, chat_id, "other", "", None, _language_code(update)))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed inline button: its data to the desk; the press is always answered."""
    query = update.callback_query
    if query is None:
        return
    chat_id = _chat_id(update)
    data = query.data or ""
    reaction = Reaction(mark_choice=False)
    if chat_id is not None and data:
        reaction = _desk_handle(
            ChatEvent(update.update_id, chat_id, "button", data, None, _language_code(update)))
    try:
        await query.answer(text=reaction.toast)
    except TelegramError as exc:  # an old query can no longer be answered; the reply itself is queued
        log.info("callback answer for update %s failed: %s", update.update_id, exc)
    message = query.message
    if not reaction.mark_choice or message is None or not getattr(message, "text", None):
        return
    label = _label_of(message, data)
    if label is None:
        return
    try:
        await query.edit_message_text(text=f"{message.text}\n\n» {label}"[:4096], reply_markup=None)
    except TelegramError as exc:
        log.info("marking the choice of update %s failed: %s", update.update_id, exc)


def _label_of(message: Any, data: str) -> str | None:
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for button in row:
            if button.callback_data == data:
                return str(button.text)
    return None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remember a handler's error so that ``dispatch`` can fail the update (and roll back its work)."""
    current = _CURRENT.get(None)
    if current is not None and context.error is not None:
        current.errors.append(context.error)


# ----------------------------------------------------------------------------- application


def build_application(token: str, request: BaseRequest, *,
                      updates_request: BaseRequest | None = None) -> Application:
    """A PTB application with loket's handlers; ``request`` does the HTTP (a fake one in tests)."""
    application = (
        Application.builder()
        .token(token)
        .request(request)
        .get_updates_request(updates_request or request)
        .updater(None)
        .build()
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.COMMAND, on_command))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_other))
    application.add_error_handler(on_error)
    return application


async def dispatch(application: Application, payload: dict[str, Any], desk: Desk) -> None:
    """Run one update (Telegram's JSON) through the handlers with ``desk``; HandlerFailed when one raised."""
    update = Update.de_json(payload, application.bot)
    state = _Dispatch(desk=desk)
    token = _CURRENT.set(state)
    try:
        await application.process_update(update)
    finally:
        _CURRENT.reset(token)
    if state.errors:
        raise HandlerFailed(state.errors[0])
