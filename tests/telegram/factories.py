"""Small factories for Telegram updates as JSON, the way the Bot API sends them."""

from __future__ import annotations

import itertools
from typing import Any

_IDS = itertools.count(5_000_000)


def next_update_id() -> int:
    """A fresh update_id."""
    return next(_IDS)


def user(chat_id: int, language_code: str | None = "nl") -> dict[str, Any]:
    data: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
    if language_code:
        data["language_code"] = language_code
    return data


def message(chat_id: int, text: str, *, update_id: int | None = None, language_code: str | None = "nl",
            chat_type: str = "private") -> dict[str, Any]:
    """A text message (a command when it starts with "/")."""
    msg: dict[str, Any] = {
        "message_id": next(_IDS), "date": 1_790_000_000, "text": text,
        "chat": {"id": chat_id, "type": chat_type}, "from": user(chat_id, language_code),
    }
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}]
    return {"update_id": update_id or next_update_id(), "message": msg}


def sticker(chat_id: int, *, update_id: int | None = None) -> dict[str, Any]:
    """A sticker: not text."""
    msg = {"message_id": next(_IDS), "date": 1_790_000_000, "chat": {"id": chat_id, "type": "private"},
           "from": user(chat_id), "sticker": {"file_id": "x", "file_unique_id": "y", "width": 512, "height": 512,
                                               "is_animated": False, "is_video": False, "type": "regular"}}
    return {"update_id": update_id or next_update_id(), "message": msg}


def button_press(chat_id: int, data: str, *, message_text: str = "Vraag", keyboard: list[list[dict]] | None = None,
                 update_id: int | None = None, language_code: str | None = "nl") -> dict[str, Any]:
    """A press on an inline button of an earlier bot message."""
    msg: dict[str, Any] = {"message_id": next(_IDS), "date": 1_790_000_000, "text": message_text,
                           "chat": {"id": chat_id, "type": "private"},
                           "from": {"id": 777000111, "is_bot": True, "first_name": "Loket"}}
    if keyboard:
        msg["reply_markup"] = {"inline_keyboard": keyboard}
    return {"update_id": update_id or next_update_id(),
            "callback_query": {"id": str(next(_IDS)), "from": user(chat_id, language_code),
                               "chat_instance": "ci", "data": data, "message": msg}}
