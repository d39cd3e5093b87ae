"""A sample of the dialogue corpus through the Telegram adapter: the same people, the same profile as on the web."""

from __future__ import annotations

import pytest

from loket.dialogues import HttpDriver, load_corpus, replay
from tests.telegram.conftest import TelegramChatDriver

SAMPLE = load_corpus(part="dev")[::19][:10]


class TelegramDialogueDriver:
    """A person on Telegram: types each answer (or presses the button with that value, when shown)."""

    def __init__(self, chat) -> None:  # type: ignore[no-untyped-def]
        self.chat = chat

    def _turn(self) -> dict:
        from bot.state import IntakeState

        sessie = self.chat.sessie()
        state = IntakeState.model_validate(sessie.state) if sessie is not None else IntakeState()
        slot = {"consent": "consent", "summary": "confirm", "asking": state.asking}.get(state.phase)
        choices = [{"value": v} for v in state.offered]
        return {"done": state.phase == "done", "expecting": {"slot": slot, "choices": choices} if slot else None}

    def start(self, language: str) -> dict:
        self.chat.send("/taal en" if language == "en" else "/taal nl")
        self.chat.send("/start")
        return self._turn()

    def send(self, text: str) -> dict:
        self.chat.say(text)
        return self._turn()

    def profile(self) -> dict:
        return dict(self.chat.sessie().profile or {})

    def top_routes(self) -> list[str]:
        return []


@pytest.mark.slow
def test_a_sample_of_the_corpus_gives_the_same_profile_on_telegram(tg_client, fake) -> None:
    sample = SAMPLE
    web = [replay(HttpDriver(tg_client), d) for d in sample]
    for index, (dialogue, on_web) in enumerate(zip(sample, web, strict=True)):
        chat = TelegramChatDriver(tg_client, fake, chat_id=7000 + index)
        on_telegram = replay(TelegramDialogueDriver(chat), {**dialogue, "advice_top3_any": None})
        assert on_telegram.finished, (dialogue["id"], on_telegram.failures)
        assert on_telegram.slots_right == on_web.slots_right, (dialogue["id"], on_telegram.wrong_slots,
                                                               on_web.wrong_slots)
