"""One loop guard for every chat flow: no question is shown a third time in a row.

Each flow (the brede intake, the loopbaangesprek chat) builds its answer with a ``Turn`` and marks where a
question starts with ``Turn.ask``. After the flow has handled a message, ``guard_turn`` compares the
question about to be shown with the one shown last time. The second showing is allowed (the flow shows it
with buttons for every valid answer); a third showing in a row is not: the question's messages are taken
back and the flow's ``move_on`` decides what happens instead (record the fact as unknown, take a sensible
default, or leave the step). Pure: plain data in, plain data out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Protocol

from bot.state import Expecting, Message, QuickReply, TurnResult

MAX_SHOWINGS = 2  # a question may be shown twice in a row, never three times
MAX_IN_ALL = 3  # and three times in all, when it comes back because other answers moved
_MAX_MOVES = 4  # moving on never cascades further than this in one turn
_MAX_REMEMBERED = 48  # (question, answers) pairs kept to notice a circle


class Asked(Protocol):
    """The part of a flow's state the guard keeps: the last question shown and how often in a row, and how
    often each question was shown since the answers last changed."""

    asked: str | None
    asked_times: int
    asked_progress: str
    asked_counts: dict[str, int]  # "question@answers fingerprint" -> showings


class Turn:
    """The answer being built during one turn of a chat flow."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.expecting: Expecting | None = None
        self.events: list[dict[str, Any]] = []
        self.effects: list[dict[str, Any]] = []
        self.done = False
        self.question_at: int | None = None  # index of the first message of the question shown
        self.progress = False  # the same question continues with progress (a multi-choice pick)

    def say(self, text: str, replies: list[QuickReply] | None = None) -> None:
        self.messages.append(Message(text=text, quick_replies=replies or []))

    def ask(self) -> None:
        """The next messages (up to the end of the turn) are the question; call before saying them."""
        self.question_at = len(self.messages)

    def take_back_question(self) -> None:
        """Remove the question's messages, so that the flow can say something else instead."""
        if self.question_at is not None:
            del self.messages[self.question_at :]
        self.question_at = None
        self.expecting = None
        self.events = [e for e in self.events if e.get("type") != "question_shown"]

    def event(self, kind: str, slot: str | None = None, value: Any = None, source: str | None = None) -> None:
        self.events.append({"type": kind, "slot": slot, "value": value, "source": source})

    def effect(self, kind: str, **data: Any) -> None:
        self.effects.append({"type": kind, **data})

    def result(self) -> TurnResult:
        return TurnResult(
            messages=self.messages,
            expecting=self.expecting,
            done=self.done,
            events=self.events,
            effects=self.effects,
        )


def shown_again(state: Asked, key: str | None) -> bool:
    """True when ``key`` is the question shown last time: this showing is a re-ask (show it with buttons)."""
    return key is not None and key == state.asked


def guard_turn(
    state: Asked,
    out: Turn,
    key_of: Callable[[Turn], str | None],
    move_on: Callable[[str, Turn], None],
    progress_of: Callable[[], str] = lambda: "",
    shown_in_all: Callable[[str], int] | None = None,
) -> None:
    """Stop a third showing of the same question, and remember what this turn shows.

    Two rules, both needed: a question is never shown three times in a row (whatever else was said in
    between), and never three times while nothing was answered ("nee" at the summary, "terug", "nee" …
    goes round without a question repeating in a row). ``key_of`` names the question a turn shows
    (``None``: no question, e.g. a closed chat); ``progress_of`` is a fingerprint of what is answered;
    ``move_on`` is called with the key that must not be shown again, after its messages were taken back,
    and must leave the flow at another question or at an end.
    """
    moves = 0
    key = key_of(out)
    while key is not None and moves < _MAX_MOVES and (
            _third_time(state, key, out, progress_of()) or _too_often(key, out, shown_in_all)):
        out.take_back_question()
        move_on(key, out)
        moves += 1
        key = key_of(out)
    _remember(state, key, out, progress_of())


def _too_often(key: str, out: Turn, shown_in_all: Callable[[str], int] | None) -> bool:
    """A question that came back because other answers moved is shown at most MAX_IN_ALL times in all
    (``shown_in_all`` counts this showing too)."""
    return shown_in_all is not None and not out.progress and shown_in_all(key) > MAX_IN_ALL


def _third_time(state: Asked, key: str, out: Turn, progress: str) -> bool:
    if out.progress:
        return False
    in_a_row = key == state.asked and state.asked_times >= MAX_SHOWINGS
    # The same question with the same answers as twice before: going round in a circle ("nee" at the
    # summary, "terug", ...; or changing an answer back and forth).
    circle = state.asked_counts.get(f"{key}@{progress}", 0) >= MAX_SHOWINGS
    return in_a_row or circle


def _remember(state: Asked, key: str | None, out: Turn, progress: str) -> None:
    state.asked_progress = progress
    if key is None:
        state.asked, state.asked_times = None, 0
        return
    if out.progress:
        state.asked, state.asked_times = key, 1
        return
    state.asked_times = state.asked_times + 1 if key == state.asked else 1
    state.asked = key
    seen = f"{key}@{progress}"
    counts = {k: v for k, v in state.asked_counts.items() if k != seen}
    counts[seen] = state.asked_counts.get(seen, 0) + 1
    state.asked_counts = dict(list(counts.items())[-_MAX_REMEMBERED:])  # the most recent ones


def progress_print(*parts: object) -> str:
    """A short fingerprint of what a flow has answered so far (for ``guard_turn``'s ``progress_of``)."""
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.blake2s(raw.encode(), digest_size=8).hexdigest()
