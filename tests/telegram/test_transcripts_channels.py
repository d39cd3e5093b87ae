"""Every web-intake transcript replayed through the HTTP API and through Telegram: the same engine messages,
the same buttons, the same profile and the same advice on both channels."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.telegram import button_rows
from loket.intake.service import engine_of
from loket.telegram.messaging import turn_parts
from tests.bot.transcripts import load_transcripts, run_transcript
from tests.telegram.conftest import TelegramChatDriver

TRANSCRIPTS = load_transcripts()
# Resume codes and erase receipts are random per session; everything else must be equal.
_CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b|\b[0-9a-f]{8}\b")
# Effects and events are the engine's inner output; the API and Telegram show their results instead.
_INNER = ("expect_effect", "expect_event")


def _outer(transcript: dict[str, Any]) -> dict[str, Any]:
    turns = [{k: v for k, v in step.items() if k not in _INNER} for step in transcript.get("turns", [])]
    return {**transcript, "turns": turns}


def _shown(parts: list[dict[str, Any]]) -> list[tuple[str, list]]:
    """What a person sees: texts (resume codes masked, they are random) and button rows."""
    return [(_CODE.sub("CODE", p["text"]), button_rows(p["buttons"])) for p in parts]


def _sent(params: list[dict[str, Any]]) -> list[tuple[str, list]]:
    # Telegram's first message also offers the other languages (tg:taal:…), which the web shows in its menu.
    return [(_CODE.sub("CODE", p["text"]),
             [row for row in (p.get("reply_markup") or {}).get("inline_keyboard", [])
              if not all(str(b.get("callback_data", "")).startswith("tg:taal:") for b in row)])
            for p in params]


class HttpDriver:
    """The web channel: the public API, one Turn per message."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.turns: list[dict[str, Any]] = []

    def start(self, *, language: str, channel: str) -> tuple[dict[str, Any], dict[str, Any]]:
        body = self.client.post("/api/v1/intake", json={"language": language, "channel": "web"}).json()
        self.turns.append(body)
        return {"id": body["session_id"], "token": body["token"]}, body

    def handle(self, state: dict[str, Any], text: str) -> tuple[dict[str, Any], dict[str, Any]]:
        response = self.client.post(f"/api/v1/intake/{state['id']}/messages", json={"text": text},
                                    headers={"Authorization": f"Bearer {state['token']}"})
        assert response.status_code == 200, response.text
        self.turns.append(response.json())
        return state, response.json()

    def profile(self, state: dict[str, Any]) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/intake/{state['id']}",
                                   headers={"Authorization": f"Bearer {state['token']}"})
        return response.json()["profile"] if response.status_code == 200 else {}


class TelegramDriver:
    """The Telegram channel: /start, then a button press when the text is a button, else typed text."""

    def __init__(self, chat: TelegramChatDriver) -> None:
        self.chat = chat
        self.turns: list[list[dict[str, Any]]] = []

    def _turn(self, sent: list[dict[str, Any]]) -> dict[str, Any]:
        self.turns.append(sent)
        sessie = self.chat.sessie()
        expecting = None
        if sessie is not None:
            from bot.state import IntakeState

            result = engine_of(self.chat.ctx).prompt(IntakeState.model_validate(sessie.state))
            expecting = result.expecting.model_dump(mode="json") if result.expecting else None
        return {"messages": [{"text": p["text"]} for p in sent], "expecting": expecting,
                "done": bool(sessie and sessie.done)}

    def start(self, *, language: str, channel: str) -> tuple[None, dict[str, Any]]:
        self.chat.language_code = language
        return None, self._turn(self.chat.send("/start"))

    def handle(self, state: None, text: str) -> tuple[None, dict[str, Any]]:
        return None, self._turn(self.chat.say(text))

    def profile(self, state: None) -> dict[str, Any]:
        from matching.profile import Profile

        sessie = self.chat.sessie()
        return Profile.model_validate(sessie.profile).model_dump(mode="json") if sessie is not None else {}


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=[t["name"] for t in TRANSCRIPTS])
def test_transcript_gives_the_same_result_on_web_and_telegram(transcript, tg_client, fake) -> None:
    http = HttpDriver(tg_client)
    web = run_transcript(http, _outer(transcript))
    assert web.ok, "web: " + "\n".join(web.failures)

    telegram = TelegramDriver(TelegramChatDriver(tg_client, fake, chat_id=31337))
    result = run_transcript(telegram, _outer(transcript))
    assert result.ok, "telegram: " + "\n".join(result.failures)

    assert result.profile == web.profile
    assert result.slots_right == web.slots_right == web.slots_total
    assert len(http.turns) == len(telegram.turns)
    for index, (body, sent) in enumerate(zip(http.turns, telegram.turns, strict=True)):
        assert _sent(sent) == _shown(turn_parts(body)), f"turn {index} differs"
    advices = [t["advice"] for t in http.turns if t.get("advice")]
    if advices:  # the advice reached Telegram as readable messages
        texts = " ".join(p["text"] for turn in telegram.turns for p in turn)
        assert "Jouw advies" in texts or "Your advice" in texts
        for route in advices[-1]["routes"]:
            assert route["title"] in texts
