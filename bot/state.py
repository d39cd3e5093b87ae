"""The intake's state and one turn's output: plain pydantic data, JSON round-trippable.

The service stores ``IntakeState`` as JSON between messages; the engine never keeps anything else.
The state holds normalised answers only, never the text a person typed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.schema.text import Lang
from matching.profile import Profile

Phase = Literal[
    "consent",  # waiting for the privacy consent; nothing is stored
    "refused",  # consent refused; nothing is stored
    "asking",  # asking the slot in ``asking``
    "edit_choice",  # "wijzig" without a target: pick the answer to change
    "summary",  # all answers shown, waiting for confirm or an edit
    "restart_confirm",  # "opnieuw beginnen" asked, waiting for yes/no
    "handoff_contact",  # asking an e-mail address or phone number
    "handoff_preferred",  # asking how and when to be contacted
    "handoff_continue",  # asking whether to go on with the questions
    "paused",  # no more questions for now, after a handoff
    "done",  # summary confirmed; the service shows the advice
    "stopped",  # the person typed "stop"
    "erased",  # the person's data was erased
]
TurnKind = Literal["choice", "multi_choice", "yes_no", "number", "text", "place", "consent"]
EventType = Literal[
    "question_shown",
    "answered",
    "edited",
    "skipped",
    "dont_know",
    "invalid",
    "abandoned",
    "summary_shown",
    "done",
]
Source = Literal["button", "text", "extracted", "inferred"]


class IntakeState(BaseModel):
    """Where one person is in the intake. Serialise with ``model_dump(mode="json")``."""

    model_config = ConfigDict(extra="forbid")

    language: Lang = "nl"
    channel: str = "web"
    phase: Phase = "consent"
    consent_version: str | None = None  # set only once the person said yes
    answers: dict[str, Any] = {}  # slot -> normalised, validated value
    dont_know: list[str] = []  # slots answered with "weet ik niet"
    skipped: list[str] = []  # slots skipped after repeated misses
    asking: str | None = None  # the slot (or the bot's own question) now expected
    misses: dict[str, int] = {}  # answers that did not fit, per slot
    offered: list[str] = []  # quick-reply values shown in the last turn: a press of one of these is a button
    pending_multi: list[str] = []  # multi_choice values picked so far, before "klaar"
    resume_phase: Phase | None = None  # where to go back to after a handoff or a restart question
    resume_asking: str | None = None
    handoff_contact: str | None = None  # held only between the two handoff questions
    handoff_contact_kind: Literal["email", "phone"] | None = None
    asked: str | None = None  # the question shown last (a slot or a step), for the loop guard (bot.guard)
    asked_times: int = 0  # how often in a row it was shown
    shown: dict[str, int] = {}  # how often each slot's question was shown in this intake
    asked_progress: str = ""  # fingerprint of the answers at the last showing
    asked_counts: dict[str, int] = {}  # showings per "question@answers fingerprint" (a circle is no progress)

    def profile(self) -> Profile:
        """The answers as a contract ``Profile`` (unknown is ``None``)."""
        data = {slot: value for slot, value in self.answers.items() if slot in Profile.model_fields}
        data["language"] = self.language
        data["consent"] = True if self.consent_version else None
        return Profile.model_validate(data)

    def is_settled(self, slot: str) -> bool:
        """True when ``slot`` needs no question: answered, "weet ik niet" or skipped."""
        return slot in self.answers or slot in self.dont_know or slot in self.skipped


class QuickReply(BaseModel):
    value: str
    label: str


class Message(BaseModel):
    text: str
    quick_replies: list[QuickReply] = []


# The bot's own questions: values of ``Expecting.slot`` that are not Profile slots, with what each asks.
# Every step takes a button's value or free text ("ja, klopt", "weet ik niet", an e-mail address, ...).
STEPS: dict[str, str] = {
    "consent": "The privacy consent before anything is stored: yes or no ('ja', 'ja hoor', 'nee').",
    "confirm": (
        "The summary 'Klopt alles? Dan maak ik je advies.': yes shows the advice; an edit button, 'nee' or a"
        " correction in free text ('mijn woonplaats is Zeist') changes an answer."
    ),
    "edit": "Which answer to change: an edit button, the name of the answer, or 'terug' to go back.",
    "restart": "Start again and erase every answer? Yes or no.",
    "contact": "An e-mail address or phone number for a call-back by an adviser, or 'laat maar' to cancel.",
    "contact_preferred": "How and when the adviser should get in touch: a button or free text ('bel me na 17 uur').",
    "continue": "After a contact request: go on with the questions? Yes or no (an answer to the question works too).",
    "resume": "After 'stop': continue where the person left off? Yes or no.",
}


class Expecting(BaseModel):
    """What the last question asks for. ``slot`` is a Profile slot, ``consent``, or one of the bot's own
    questions: ``confirm`` (summary), ``edit`` (pick an answer), ``restart``, ``contact``,
    ``contact_preferred``, ``continue``, ``resume``."""

    slot: str
    kind: TurnKind
    choices: list[QuickReply] = []


class TurnResult(BaseModel):
    """What the engine answers to one message; the service renders ``messages`` and acts on ``effects``."""

    messages: list[Message] = []
    expecting: Expecting | None = None
    done: bool = False
    events: list[dict[str, Any]] = Field(default_factory=list)
    effects: list[dict[str, Any]] = Field(default_factory=list)
