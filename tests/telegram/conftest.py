"""Fixtures: a loket app with a bot token and webhook secret, its Bot API replaced by a recording fake."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from loket.intake.models import IntakeSessie
from loket.telegram.models import TelegramChat
from loket.telegram.runtime import REQUEST_KEY, close_runtime
from tests.telegram import factories
from tests.telegram.fake import RecordingRequest

SECRET = "test-webhook-secret_123"
TOKEN = "123456:TEST-token"


def make_app(settings, knowledge, fake: RecordingRequest):  # type: ignore[no-untyped-def]
    """A loket app whose Telegram runtime talks to ``fake``."""
    from loket.app import create_app

    configured = settings.model_copy(update={"telegram_token": SecretStr(TOKEN),
                                             "telegram_webhook_secret": SecretStr(SECRET)})
    application = create_app(configured, knowledge=knowledge)
    application.state.ctx.cache[REQUEST_KEY] = fake
    return application


class TelegramChatDriver:
    """One person in one private chat, talking to loket through the webhook."""

    def __init__(self, client: TestClient, fake: RecordingRequest, chat_id: int = 4242,
                 language_code: str | None = "nl") -> None:
        self.client, self.fake, self.chat_id, self.language_code = client, fake, chat_id, language_code

    @property
    def ctx(self):  # type: ignore[no-untyped-def]
        return self.client.app.state.ctx  # type: ignore[attr-defined]

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> Any:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return self.client.post("/telegram/webhook", json=update, headers=headers)

    def _exchange(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        before = len(self.fake.of("sendMessage"))
        response = self.post(update)
        assert response.status_code == 200, response.text
        return [p for p in self.fake.of("sendMessage")[before:] if str(p["chat_id"]) == str(self.chat_id)]

    def send(self, text: str) -> list[dict[str, Any]]:
        """Type ``text``; return the messages the bot sent back."""
        return self._exchange(factories.message(self.chat_id, text, language_code=self.language_code))

    def press(self, data: str) -> list[dict[str, Any]]:
        """Press the button with ``data`` on the last message that had buttons."""
        last = self.last_keyboard()
        text = next((p["text"] for p in reversed(self.fake.of("sendMessage")) if p.get("reply_markup")), "Vraag")
        return self._exchange(factories.button_press(self.chat_id, data, message_text=text, keyboard=last,
                                                     language_code=self.language_code))

    def last_keyboard(self) -> list[list[dict[str, Any]]]:
        for params in reversed(self.fake.of("sendMessage")):
            if str(params["chat_id"]) == str(self.chat_id):
                markup = params.get("reply_markup")
                if markup:
                    return markup["inline_keyboard"]
        return []

    def button_data(self) -> list[str]:
        return [b.get("callback_data", "") for row in self.last_keyboard() for b in row]

    def say(self, text: str) -> list[dict[str, Any]]:
        """Press a button when ``text`` is one on the last keyboard, else type it (as a person would)."""
        return self.press(text) if text in self.button_data() else self.send(text)

    def sessie(self) -> IntakeSessie | None:
        with self.ctx.sessions() as db:
            chat = db.get(TelegramChat, str(self.chat_id))
            if chat is None or chat.sessie_id is None:
                return None
            return db.scalar(select(IntakeSessie).where(IntakeSessie.id == chat.sessie_id))


@pytest.fixture
def fake() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
def tg_app(settings, knowledge, clean_db, fake) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    application = make_app(settings, knowledge, fake)
    yield application
    close_runtime(application.state.ctx)
    application.state.ctx.engine.dispose()


@pytest.fixture
def tg_client(tg_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(tg_app) as c:
        yield c


@pytest.fixture
def chat(tg_client, fake) -> TelegramChatDriver:  # type: ignore[no-untyped-def]
    return TelegramChatDriver(tg_client, fake)
