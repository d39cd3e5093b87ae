"""Replay every transcript in tests/transcripts against the real engine and the real understanding."""

from __future__ import annotations

import pytest

from tests.bot.transcripts import load_transcripts, run_transcript

TRANSCRIPTS = load_transcripts()


def test_there_are_enough_varied_transcripts():
    assert len(TRANSCRIPTS) >= 20
    assert len({t["name"] for t in TRANSCRIPTS}) == len(TRANSCRIPTS)


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=[t["name"] for t in TRANSCRIPTS])
def test_transcript(real_engine, transcript):
    result = run_transcript(real_engine, transcript)
    assert result.ok, "\n".join(result.failures)
    assert result.slots_right == result.slots_total


def test_runner_reports_failures(make_engine):
    # The runner must be able to fail: a wrong expectation is reported, not silently passed.
    engine = make_engine()
    transcript = {"name": "wrong", "turns": [{"say": "ja", "expect_slot": "age"}], "profile": {"age": 40}}
    result = run_transcript(engine, transcript)
    assert not result.ok and len(result.failures) == 2 and result.slots_right == 0 and result.slots_total == 1
