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

from loket.dialogues import HttpDriver, load_corpus, replay, same, summarise

DEV = load_corpus(part="dev")
HELDOUT = load_corpus(part="heldout")
# Newcomers typing Arabic, Ukrainian and Turkish (and the same eight people in all five languages).
I18N = load_corpus(part="i18n")
FLOORS = {"dev": 0.97, "heldout": 0.95, "i18n": 0.95}
PARTS = {"dev": DEV, "heldout": HELDOUT, "i18n": I18N}
MIN_SIZE = {"dev": 150, "heldout": 60, "i18n": 50}


def _replay_all(client, dialogues):  # type: ignore[no-untyped-def]
    return [replay(HttpDriver(client), d) for d in dialogues]


@pytest.mark.slow
@pytest.mark.parametrize("part", ["dev", "heldout", "i18n"])
def test_every_dialogue_finishes_through_the_http_api(client, part: str) -> None:
    dialogues = PARTS[part]
    assert len(dialogues) >= MIN_SIZE[part]
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


@pytest.mark.slow
def test_the_same_person_in_five_languages_gets_the_same_advice(client) -> None:
    """Eight people, each written in nl, en, ar, uk and tr: every version finishes, and the five versions
    of one person reach the same answers on what an adviser notes down and the same top routes."""
    groups: dict[str, list] = {}
    for dialogue in I18N:
        if dialogue["id"].startswith("five-"):
            groups.setdefault(dialogue["id"].rsplit("-", 1)[0], []).append(dialogue)
    assert len(groups) == 8 and all(len(g) == 5 for g in groups.values())
    differences = []
    for person, dialogues in sorted(groups.items()):
        results = [replay(HttpDriver(client), d) for d in dialogues]
        assert all(r.finished for r in results), [(r.id, r.failures) for r in results if not r.finished]
        languages = sorted({d["language"] for d in dialogues})
        assert languages == ["ar", "en", "nl", "tr", "uk"], person
        tops = {tuple(r.top_routes[:1]) for r in results}
        if len(tops) != 1:
            differences.append(f"{person}: first route differs: {[(r.id, r.top_routes[:3]) for r in results]}")
        # The answers an adviser notes down (the expected slots, the same for all five) agree.
        for slot, wanted in dialogues[0]["expect"].items():
            right = [r.id for r in results if same(slot, r.profile.get(slot), wanted)]
            if len(right) < 4:  # one language may miss one answer; the advice above must still agree
                differences.append(f"{person}: {slot} right only in {right}")
    # Every person's best route is the same in all five languages.
    assert not differences, "\n".join(differences)
