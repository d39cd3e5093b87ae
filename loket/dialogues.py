"""Replay a dialogue corpus (tests/dialogues/**/*.yaml) against the intake and score it.

A dialogue is a person, not a script: ``answers`` says what they type when a question (a slot, ``consent``
or ``confirm``) is asked the first time, ``retry`` what they type when the same question comes again.
The replay answers whatever the bot asks, in whatever order, so a dialogue keeps working when the flow's
order changes. A question the person has no answer for gets "weet ik niet"; a question asked again with
no ``retry`` gets the button of the value the person means when the bot offers it (as a person would
press it), else "weet ik niet". The figures: finished dialogues, stuck ones (a question three times in a
row, or no end within the turn limit), slot accuracy against ``expect``, questions that should not have
been asked (``not_asked``), the advice's top three (``advice_top3_any``) and the turns to the advice.

Drivers: ``EngineDriver`` (the pure engine, fast) and ``HttpDriver`` (the public API through any httpx-like
client, e.g. FastAPI's TestClient). Both give Turns as the contract's dicts.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

MAX_TURNS = 60
DONT_KNOW_TEXT = {"nl": "weet ik niet", "en": "I don't know"}
REPO_DIALOGUES = Path(__file__).resolve().parent.parent / "tests" / "dialogues"


class Driver(Protocol):
    def start(self, language: str) -> dict[str, Any]: ...

    def send(self, text: str) -> dict[str, Any]: ...

    def profile(self) -> dict[str, Any]: ...

    def top_routes(self) -> list[str]: ...


@dataclass
class DialogueResult:
    id: str
    finished: bool
    turns: int  # messages the person sent until the advice (all sent when it never came)
    slots_right: int
    slots_total: int
    advice_ok: bool | None  # None: the dialogue names no advice expectation
    failures: list[str] = field(default_factory=list)
    wrong_slots: list[str] = field(default_factory=list)
    unplanned: list[str] = field(default_factory=list)  # questions the person had no answer for
    buttons_pressed: int = 0
    profile: dict[str, Any] = field(default_factory=dict)  # the stored profile at the end
    top_routes: list[str] = field(default_factory=list)  # the advice's routes, best first (when finished)

    @property
    def stuck(self) -> bool:
        return not self.finished


def load_corpus(directory: Path | str = REPO_DIALOGUES, *, part: str | None = None) -> list[dict[str, Any]]:
    """Every dialogue under ``directory`` (or only its sub-folder ``part``), with the file it came from."""
    root = Path(directory) / part if part else Path(directory)
    found = []
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for dialogue in data.get("dialogues", []):
            dialogue.setdefault("file", str(path.relative_to(Path(directory))))
            found.append(dialogue)
    return found


def replay(driver: Driver, dialogue: dict[str, Any], *, max_turns: int = MAX_TURNS) -> DialogueResult:
    """Play one person through the intake; return how it went."""
    language = dialogue.get("language", "nl")
    answers: dict[str, Any] = dialogue.get("answers") or {}
    retry: dict[str, Any] = dialogue.get("retry") or {}
    expect: dict[str, Any] = dialogue.get("expect") or {}
    result = DialogueResult(str(dialogue.get("id")), False, 0, 0, len(expect), None)
    turn = driver.start(language)
    times: dict[str, int] = {}
    in_a_row, previous = 0, None
    for _ in range(max_turns):
        if turn.get("done"):
            result.finished = True
            break
        expecting = turn.get("expecting")
        if not expecting:
            result.failures.append(f"no question and not done after {result.turns} messages")
            break
        slot = str(expecting["slot"])
        in_a_row = in_a_row + 1 if slot == previous else 1
        previous = slot
        if in_a_row >= 3 and expecting.get("kind") != "multi_choice":
            result.failures.append(f"asked {slot!r} three times in a row")
            break
        if slot in (dialogue.get("not_asked") or []) and times.get(slot, 0) == 0:
            result.failures.append(f"asked {slot!r}, which does not apply")
        text, pressed = _answer(slot, times.get(slot, 0), expecting, answers, retry, expect, language)
        if slot not in answers and slot not in ("confirm",) and times.get(slot, 0) == 0:
            result.unplanned.append(slot)
        result.buttons_pressed += pressed
        times[slot] = times.get(slot, 0) + 1
        turn = driver.send(text)
        result.turns += 1
    else:
        result.failures.append(f"not done after {max_turns} messages")
    if turn.get("done"):
        result.finished = True
    profile = driver.profile()
    result.profile = profile
    if result.finished:
        result.top_routes = driver.top_routes()
    for slot, wanted in expect.items():
        if same(slot, profile.get(slot), wanted):
            result.slots_right += 1
        else:
            result.wrong_slots.append(f"{slot}: expected {wanted!r}, got {profile.get(slot)!r}")
    wanted_routes = dialogue.get("advice_top3_any")
    if wanted_routes and result.finished:
        top = result.top_routes[:3]
        result.advice_ok = any(r in top for r in wanted_routes)
        if not result.advice_ok:
            result.wrong_slots.append(f"advice top 3 {top} has none of {wanted_routes}")
    elif wanted_routes:
        result.advice_ok = False
    return result


def _answer(
    slot: str,
    asked_before: int,
    expecting: dict[str, Any],
    answers: dict[str, Any],
    retry: dict[str, Any],
    expect: dict[str, Any],
    language: str,
) -> tuple[str, int]:
    """What the person types now, and 1 when it is a button press they chose for themselves."""
    choices = [c["value"] for c in expecting.get("choices") or []]
    if asked_before == 0:
        if slot in answers:
            return str(answers[slot]), 0
        if slot == "confirm":
            return ("ja" if language == "nl" else "yes"), 0
        return DONT_KNOW_TEXT.get(language, DONT_KNOW_TEXT["nl"]), 0
    if slot in retry and asked_before == 1:
        return str(retry[slot]), 0
    wanted = expect.get(slot)
    if isinstance(wanted, bool):
        wanted = "ja" if wanted else "nee"
    if wanted is not None and not isinstance(wanted, list) and str(wanted) in choices:
        return str(wanted), 1
    if slot == "confirm":
        confirm = next((c for c in choices if c.endswith("confirm")), None)
        if confirm:
            return confirm, 1
    return DONT_KNOW_TEXT.get(language, DONT_KNOW_TEXT["nl"]), 0


FREE_TEXT_SLOTS = frozenset({"goal_subject", "education_field", "current_role", "place"})


def same(slot: str, got: Any, wanted: Any) -> bool:
    """Whether a stored value is the expected one (lists as sets, free text without case)."""
    if wanted is None or got is None:
        return got is None and wanted is None
    if isinstance(wanted, list):
        return isinstance(got, list) and sorted(map(str, got)) == sorted(map(str, wanted))
    if isinstance(wanted, bool) or isinstance(got, bool):
        return got is wanted
    if isinstance(wanted, int | float) and isinstance(got, int | float):
        return abs(float(got) - float(wanted)) < 1e-9
    if slot in FREE_TEXT_SLOTS:
        return str(got).casefold() == str(wanted).casefold()
    return got == wanted


def summarise(results: list[DialogueResult]) -> dict[str, Any]:
    """The corpus figures: finished, stuck, slot accuracy, advice accuracy, turns to the advice."""
    total_slots = sum(r.slots_total for r in results)
    advice = [r.advice_ok for r in results if r.advice_ok is not None]
    turns = [r.turns for r in results if r.finished]
    return {
        "dialogues": len(results),
        "finished": sum(r.finished for r in results),
        "stuck": sum(r.stuck for r in results),
        "slot_accuracy": round(sum(r.slots_right for r in results) / total_slots, 4) if total_slots else None,
        "advice_correct": round(sum(advice) / len(advice), 4) if advice else None,
        "advice_checked": len(advice),
        "median_turns": statistics.median(turns) if turns else None,
        "max_turns": max(turns) if turns else None,
        "not_applicable_asked": sum(any("does not apply" in f for f in r.failures) for r in results),
        "buttons_pressed": sum(r.buttons_pressed for r in results),
        "unplanned_questions": sum(len(r.unplanned) for r in results),
    }


class EngineDriver:
    """The pure intake engine, with the route advice of ``matching``."""

    def __init__(self, engine: Any, knowledge: Any) -> None:
        self.engine = engine
        self.knowledge = knowledge
        self.state: Any = None

    def start(self, language: str) -> dict[str, Any]:
        self.state, turn = self.engine.start(language=language, channel="web")
        return turn.model_dump(mode="json")

    def send(self, text: str) -> dict[str, Any]:
        self.state, turn = self.engine.handle(self.state, text)
        return turn.model_dump(mode="json")

    def profile(self) -> dict[str, Any]:
        return self.state.profile().model_dump(mode="json")

    def top_routes(self) -> list[str]:
        from matching.routes import advise_routes

        return [r.id for r in advise_routes(self.state.profile(), self.knowledge.routes)]


class HttpDriver:
    """The public API (spec/intake-and-advice-api.md) through an httpx-like client."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.session_id = ""
        self.headers: dict[str, str] = {}
        self.sent = 0

    def start(self, language: str) -> dict[str, Any]:
        response = self.client.post("/api/v1/intake", json={"language": language, "channel": "api"})
        response.raise_for_status()
        turn = response.json()
        self.session_id = turn["session_id"]
        self.headers = {"Authorization": f"Bearer {turn['token']}"}
        return turn

    def send(self, text: str) -> dict[str, Any]:
        self.sent += 1
        response = self.client.post(
            f"/api/v1/intake/{self.session_id}/messages",
            json={"text": text, "client_message_id": f"m{self.sent}"},
            headers=self.headers,
        )
        response.raise_for_status()
        return response.json()

    def profile(self) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/intake/{self.session_id}", headers=self.headers)
        response.raise_for_status()
        return response.json()["profile"]

    def top_routes(self) -> list[str]:
        response = self.client.get(f"/api/v1/intake/{self.session_id}/advice", headers=self.headers)
        response.raise_for_status()
        return [r["id"] for r in response.json()["routes"]]
