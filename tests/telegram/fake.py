"""A recording Bot API: a ``telegram.request.BaseRequest`` that answers the methods loket uses, offline.

Every answered call is kept in ``calls`` as (method, parameters), every refused one in ``refused``.
``fail(method, status, description, **params)`` makes the next call of ``method`` fail the way
Telegram does (e.g. 429 with ``retry_after``).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT = {"id": 777000111, "is_bot": True, "first_name": "Loket", "username": "loket_test_bot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class RecordingRequest(BaseRequest):
    """Answers getMe, sendMessage, editMessageText, answerCallbackQuery, setWebhook, deleteWebhook,
    getWebhookInfo and getUpdates; records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []  # answered calls
        self.refused: list[tuple[str, dict[str, Any]]] = []  # calls answered with an error
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.pending_updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    def fail(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """Make the next ``method`` call answer with an error."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.failures.setdefault(method, []).append((status, body))

    def of(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``method``, in order."""
        return [params for name, params in self.calls if name == method]

    def sent_texts(self, chat_id: str | int | None = None) -> list[str]:
        """The texts of every sendMessage (to ``chat_id`` when given)."""
        return [str(p["text"]) for p in self.of("sendMessage")
                if chat_id is None or str(p["chat_id"]) == str(chat_id)]

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = json.loads(json.dumps(request_data.parameters)) if request_data else {}
        with self._lock:
            queued = self.failures.get(name)
            if queued:
                self.refused.append((name, params))
                status, body = queued.pop(0)
                return status, json.dumps(body).encode()
            self.calls.append((name, params))
            result = self._result(name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        message = {"message_id": params.get("message_id") or next(self._ids), "date": int(time.time()),
                   "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT
        if name in ("sendMessage", "editMessageText"):
            return self._message(params)
        if name in ("answerCallbackQuery", "setWebhook", "deleteWebhook", "editMessageReplyMarkup"):
            return True
        if name == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if name == "getUpdates":
            offset = int(params.get("offset") or 0)
            found = [u for u in self.pending_updates if u["update_id"] >= offset]
            return found
        raise AssertionError(f"the fake Bot API does not know {name}")
