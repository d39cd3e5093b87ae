"""The dialogue corpus (tests/dialogues) replayed through the public HTTP API (a sample through Telegram is in
tests/telegram/test_dialogue_sample.py).

Every person reaches the advice, no question is shown three times in a row, nothing that does not apply is
asked, and the stored profile matches what an adviser would note down. The floors are below today's
figures (``loket bench dialogue`` prints them) so a change that makes the conversation worse fails here.
The held-out part was written apart from the tuning and is scored on its own.
"""

from __future__ import annotations

import statistics

import pytest

from loket.dialogues import HttpDriver, load_corpus, replay, summarise

DEV = load_corpus(part="dev")
HELDOUT = load_corpus(part="heldout")
FLOORS = {"dev": 0.97, "heldout": 0.95}


def _replay_all(client, dialogues):  # type: ignore[no-untyped-def]
    return [replay(HttpDriver(client), d) for d in dialogues]


@pytest.mark.slow
@pytest.mark.parametrize("part", ["dev", "heldout"])
def test_every_dialogue_finishes_through_the_http_api(client, part: str) -> None:
    dialogues = DEV if part == "dev" else HELDOUT
    assert len(dialogues) >= (150 if part == "dev" else 60)
    results = _replay_all(client, dialogues)
    stuck = [f"{r.id}: {r.failures}" for r in results if not r.finished or any("three times" in f for f in r.failures)]
    assert not stuck, "\n".join(stuck)
    figures = summarise(results)
    print(f"\n{part}: {figures}")
    assert figures["slot_accuracy"] >= FLOORS[part], figures
    assert figures["advice_correct"] >= 0.95, figures
    # Questions that do not apply to a person: rare, and never more than one in a dialogue.
    assert figures["not_applicable_asked"] <= len(results) * 0.06, figures
    assert statistics.median(r.turns for r in results) <= 16, figures
