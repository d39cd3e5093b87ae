"""Replay transcript files (tests/transcripts/*.yaml) against any intake driver.

A transcript is readable YAML::

    name: career switcher with a master
    language: nl            # optional, start language
    turns:
      - say: "ja"
        expect_slot: goal_role           # the slot the bot asks next (null: nothing asked)
      - say: "ik ben 35 en heb een wo-master psychologie"
        expect_profile: {age: 35, education_level: master}
        expect_text: "Genoteerd"         # a piece of the bot's messages (case-insensitive)
        expect_effect: consent_given     # an effect type (or a list of them)
        expect_event: dont_know          # an event type (or a list)
        expect_done: false
    profile: {age: 35, education_level: master}   # the profile at the end (null: must be unknown)

A driver has ``start(language=, channel=) -> (state, turn)`` and ``handle(state, text) -> (state, turn)``;
``IntakeEngine`` is one, an HTTP or Telegram adapter can be another (the state is then whatever the
adapter needs, e.g. a session id). The profile is read with ``driver.profile(state)`` when the driver
has it, else ``state.profile()``. A turn may be a ``TurnResult`` or the contract's Turn as a dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from loket.dialogues import same as _same  # one comparison of stored and expected values

TRANSCRIPT_DIR = Path(__file__).resolve().parent.parent / "transcripts"


@dataclass
class TranscriptResult:
    """How a transcript went: turns to the advice, slot accuracy and every expectation that failed."""

    name: str
    turns: int  # messages sent until the advice (or all messages when it never came)
    slots_right: int
    slots_total: int
    profile: dict[str, Any]
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def load_transcripts(directory: Path = TRANSCRIPT_DIR) -> list[dict[str, Any]]:
    """Every transcript in ``directory``, with its file name as default ``name``."""
    found = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.setdefault("name", path.stem)
        found.append(data)
    return found


def run_transcript(engine: Any, transcript: dict[str, Any]) -> TranscriptResult:
    """Replay one transcript through ``engine`` (any driver, see the module docstring)."""
    failures: list[str] = []
    state, _turn = engine.start(
        language=transcript.get("language", "nl"), channel=transcript.get("channel", "web")
    )
    turns_to_done: int | None = None
    for index, step in enumerate(transcript.get("turns", []), start=1):
        text = str(step["say"])
        state, turn = engine.handle(state, text)
        turn = _as_dict(turn)
        where = f"turn {index} ({text[:40]!r})"
        failures.extend(f"{where}: {problem}" for problem in _check_turn(engine, state, turn, step))
        if turn.get("done") and turns_to_done is None:
            turns_to_done = index
    profile = _profile(engine, state)
    wanted = transcript.get("profile") or {}
    right = 0
    for slot, value in wanted.items():
        if _same(slot, profile.get(slot), value):
            right += 1
        else:
            failures.append(f"profile.{slot}: expected {value!r}, got {profile.get(slot)!r}")
    total_turns = turns_to_done if turns_to_done is not None else len(transcript.get("turns", []))
    return TranscriptResult(transcript["name"], total_turns, right, len(wanted), profile, failures)


def _check_turn(engine: Any, state: Any, turn: dict[str, Any], step: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    expecting = turn.get("expecting")
    if "expect_slot" in step:
        got = expecting.get("slot") if expecting else None
        if got != step["expect_slot"]:
            problems.append(f"expected the bot to ask {step['expect_slot']!r}, it asks {got!r}")
    if "expect_kind" in step:
        got = expecting.get("kind") if expecting else None
        if got != step["expect_kind"]:
            problems.append(f"expected kind {step['expect_kind']!r}, got {got!r}")
    if "expect_text" in step:
        text = " ".join(m.get("text", "") for m in turn.get("messages", [])).casefold()
        for piece in _listed(step["expect_text"]):
            if str(piece).casefold() not in text:
                problems.append(f"expected text {piece!r} in {text[:160]!r}")
    if "expect_done" in step and bool(turn.get("done")) != bool(step["expect_done"]):
        problems.append(f"expected done={step['expect_done']}, got {turn.get('done')}")
    for key, source in (("expect_effect", "effects"), ("expect_event", "events")):
        if key in step:
            got = [item.get("type") for item in turn.get(source, [])]
            for wanted in _listed(step[key]):
                if wanted not in got:
                    problems.append(f"expected {source[:-1]} {wanted!r}, got {got}")
    if "expect_profile" in step:
        profile = _profile(engine, state)
        for slot, value in step["expect_profile"].items():
            if not _same(slot, profile.get(slot), value):
                problems.append(f"expected {slot}={value!r}, got {profile.get(slot)!r}")
    return problems


def _as_dict(turn: Any) -> dict[str, Any]:
    return turn.model_dump(mode="json") if hasattr(turn, "model_dump") else dict(turn)


def _profile(engine: Any, state: Any) -> dict[str, Any]:
    profile = engine.profile(state) if hasattr(engine, "profile") else state.profile()
    return profile.model_dump(mode="json") if hasattr(profile, "model_dump") else dict(profile)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
