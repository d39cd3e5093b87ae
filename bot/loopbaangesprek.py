"""The loopbaangesprek chat: a short flow of its own, for the web widget and Telegram.

Pure like ``bot.engine``: a flow (the parsed ``knowledge/loopbaangesprek/flow.yaml``) and the list of
besturen go in, a state and the same ``TurnResult`` shape as the brede intake come out. When the person
confirms the summary the result carries the effect ``{"type": "loopbaangesprek", "aanvraag": {...}}``; the
service checks and stores the request and adds the confirmation with the expected date. Nothing typed before
consent is kept in the state.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process, utils

from bot.state import Expecting, Message, QuickReply, TurnResult
from matching.coaching import tags_from_wish

MAX_INPUT = 4000
MAX_TEXT = 2000
CONSENT, YES, NO, SKIP, DONE, CONFIRM, RESTART = (
    "consent_yes",
    "ja",
    "nee",
    "overslaan",
    "klaar",
    "bevestig",
    "opnieuw",
)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_EMAIL_IN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_KINDS = {
    "text": "text",
    "email": "text",
    "phone": "text",
    "choice": "choice",
    "multi_choice": "multi_choice",
    "yes_no": "yes_no",
    "bestuur": "choice",
}

REQUIRED_TEXTS = (
    "label_yes",
    "label_no",
    "skip",
    "multi_done",
    "multi_added",
    "summary_intro",
    "summary_question",
    "confirm",
    "restart",
    "restarted",
    "stopped",
    "resumed",
    "done",
    "after_done",
    "words_stop",
    "words_yes",
    "words_no",
    "words_restart",
)

Phase = Literal["consent", "refused", "asking", "summary", "stopped", "done"]


_BOARD_WORDS = re.compile(r"\b(stichting|vereniging|de|het|voor|onderwijs|scholengroep)\b")


def _board_key(name: str) -> str:
    """A board name for matching: the words every board name has ("Stichting") do not tell them apart."""
    return " ".join(_BOARD_WORDS.sub(" ", utils.default_process(name)).split())


class FlowError(ValueError):
    """The flow file is wrong; the message names the step."""


class ChatState(BaseModel):
    """Where one person is in the loopbaangesprek chat (stored as JSON by the service)."""

    model_config = ConfigDict(extra="forbid")

    flow: Literal["loopbaangesprek"] = "loopbaangesprek"
    language: Literal["nl", "en"] = "nl"
    channel: str = "web"
    phase: Phase = "consent"
    consent_version: str | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    asking: str | None = None
    pending: list[str] = Field(default_factory=list)  # topics picked before "klaar"
    offered: list[str] = Field(default_factory=list)
    misses: dict[str, int] = Field(default_factory=dict)
    resume_phase: Phase | None = None


def check_flow(data: Any) -> dict[str, Any]:
    """Check the parsed flow file; return it, or raise FlowError naming what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or "consent" not in data:
        raise FlowError("the flow needs 'consent' and a list of 'steps'")
    missing = [k for k in REQUIRED_TEXTS if not isinstance((data.get("texts") or {}).get(k), dict)]
    if missing:
        raise FlowError(f"texts: missing {', '.join(missing)}")
    seen: set[str] = set()
    for i, step in enumerate(data["steps"]):
        name = step.get("slot") if isinstance(step, dict) else None
        if not name or name in seen:
            raise FlowError(f"step {i + 1}: missing or repeated 'slot'")
        if step.get("kind") not in _KINDS:
            raise FlowError(f"step {name}: unknown kind {step.get('kind')!r}")
        for key in ("ask", "reask"):
            if not isinstance(step.get(key), dict) or not {"nl", "en"} <= set(step[key]):
                raise FlowError(f"step {name}: '{key}' needs nl and en")
        if step["kind"] in ("choice", "multi_choice") and not step.get("choices"):
            raise FlowError(f"step {name}: a {step['kind']} needs 'choices'")
        seen.add(name)
    return data


class LoopbaanChat:
    """Runs the loopbaangesprek flow. ``besturen`` are (id, naam) pairs of the boards to choose from."""

    def __init__(self, flow: dict[str, Any], besturen: list[tuple[str, str]]) -> None:
        self.flow = flow
        self.steps = {s["slot"]: s for s in flow["steps"]}
        self.besturen = dict(besturen)

    # ----------------------------------------------------------------- public API

    def start(self, *, language: str = "nl", channel: str = "web") -> tuple[ChatState, TurnResult]:
        """A new chat: the consent question."""
        state = ChatState(language="en" if language == "en" else "nl", channel=channel)
        out = _Out()
        self._ask_consent(state, out)
        return self._finish(state, out)

    def handle(self, state: ChatState, text: str) -> tuple[ChatState, TurnResult]:
        """Process one message (typed text or a button value)."""
        state = state.model_copy(deep=True)
        out = _Out()
        text = _CONTROL.sub(" ", (text or "")[:MAX_INPUT]).strip()
        if not text:
            self._present(state, out)
        elif state.phase in ("consent", "refused"):
            self._on_consent(state, text, out)
        elif state.phase == "done":
            out.say(self._t("after_done", state))
            out.done = True
        elif state.phase == "stopped":
            out.say(self._t("resumed", state))
            state.phase, state.resume_phase = state.resume_phase or "asking", None
            self._present(state, out)
        elif self._word(text, "stop", state):
            state.resume_phase, state.phase = state.phase, "stopped"
            out.effect("stop")
            out.say(self._t("stopped", state))
        elif state.phase == "summary":
            self._on_summary(state, text, out)
        else:
            self._on_answer(state, text, out)
        return self._finish(state, out)

    def prompt(self, state: ChatState) -> TurnResult:
        """The current question again (after a reload); changes nothing."""
        out = _Out()
        self._present(state.model_copy(deep=True), out)
        return out.result()

    # ----------------------------------------------------------------- steps

    def _finish(self, state: ChatState, out: _Out) -> tuple[ChatState, TurnResult]:
        state.offered = [r.value for m in out.messages for r in m.quick_replies]
        return state, out.result()

    def _on_consent(self, state: ChatState, text: str, out: _Out) -> None:
        answer = True if text == CONSENT else self._yes_no(text, state)
        if answer is True:
            state.phase, state.consent_version = "asking", str(self.flow["consent"].get("version", ""))
            out.effect("consent_given", version=state.consent_version)
            self._advance(state, out)
        elif answer is False:
            state.phase = "refused"
            out.effect("consent_refused")
            out.say(self._lang(self.flow["consent"]["refused"], state), self._yes_no_buttons(state, CONSENT))
        else:
            self._ask_consent(state, out)

    def _ask_consent(self, state: ChatState, out: _Out) -> None:
        buttons = self._yes_no_buttons(state, CONSENT)
        out.say(self._lang(self.flow["consent"]["ask"], state), buttons)
        out.expecting = Expecting(slot="consent", kind="consent", choices=buttons)

    def _on_answer(self, state: ChatState, text: str, out: _Out) -> None:
        step = self.steps.get(state.asking or "")
        if step is None:
            self._advance(state, out)
            return
        if text == SKIP:
            if not self._may_skip(step, state):
                self._show(state, step, out, reask=True)
                return
            state.answers[step["slot"]] = ""
            self._advance(state, out)
            return
        if step["kind"] == "multi_choice":
            self._on_multi(state, step, text, out)
            return
        value, candidates = self._value(state, step, text)
        if value is None:
            state.misses[step["slot"]] = state.misses.get(step["slot"], 0) + 1
            self._show(state, step, out, reask=True, candidates=candidates)
            return
        state.answers[step["slot"]] = value
        state.misses.pop(step["slot"], None)
        self._advance(state, out)

    def _value(self, state: ChatState, step: dict[str, Any], text: str) -> tuple[Any, list[QuickReply]]:
        """The validated answer to ``step`` in ``text`` (or None) and, for a bestuur, the closest names."""
        kind = step["kind"]
        if kind == "text":
            return (text[:MAX_TEXT] if re.search(r"[^\W\d_]", text) else None), []
        if kind == "email":
            found = _EMAIL_IN.search(text)
            value = found.group(0).lower() if found else ""
            return (value if _EMAIL.match(value) else None), []
        if kind == "phone":
            return (text if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 8 else None), []
        if kind == "yes_no":
            return self._yes_no(text, state), []
        if kind == "bestuur":
            return self._bestuur(text)
        for choice in self._choices(state, step):
            if text in (choice.value, choice.label) or text.casefold() == choice.label.casefold():
                return choice.value, []
        return None, []

    def _bestuur(self, text: str) -> tuple[str | None, list[QuickReply]]:
        if text in self.besturen:
            return text, []
        wanted = _board_key(text)
        exact = [key for key, name in self.besturen.items() if _board_key(name) == wanted]
        if len(exact) == 1:
            return exact[0], []
        matches = process.extract(
            text, self.besturen, scorer=fuzz.WRatio, processor=_board_key, limit=5, score_cutoff=60
        )
        # WRatio rates partial names ("vonk amersfort") well; take the best only when it clearly leads.
        if matches and matches[0][1] >= 85 and (len(matches) == 1 or matches[0][1] - matches[1][1] >= 8):
            return str(matches[0][2]), []
        return None, [QuickReply(value=str(key), label=str(name)) for name, _score, key in matches]

    def _on_multi(self, state: ChatState, step: dict[str, Any], text: str, out: _Out) -> None:
        choices = self._choices(state, step)
        if text == DONE or text.casefold() == self._t("multi_done", state).casefold():
            state.answers[step["slot"]] = list(state.pending)
            state.pending = []
            self._advance(state, out)
            return
        picked = [
            c.value for c in choices if text in (c.value, c.label) or text.casefold() == c.label.casefold()
        ]
        if not picked:  # a sentence: read the topics from it, as routing reads the wish
            allowed = {c.value for c in choices}
            picked = [t for t in tags_from_wish(text) if t in allowed]
            if picked and not state.answers.get("wens"):
                state.answers["wens"] = text[:MAX_TEXT]
        if not picked:
            self._show(state, step, out, reask=True)
            return
        state.pending += [p for p in picked if p not in state.pending]
        labels = ", ".join(c.label for c in choices if c.value in state.pending)
        out.say(self._t("multi_added", state, items=labels))
        self._show(state, step, out, ask=False)

    def _on_summary(self, state: ChatState, text: str, out: _Out) -> None:
        answer = True if text == CONFIRM else False if text == RESTART else self._yes_no(text, state)
        if answer is None and self._word(text, "restart", state):
            answer = False
        if answer is True:
            state.phase, state.asking = "done", None
            out.done = True
            out.say(self._t("done", state))
            out.effect("loopbaangesprek", aanvraag=self.aanvraag(state))
        elif answer is False:
            state.answers, state.pending, state.misses = {}, [], {}
            out.effect("restart")
            out.say(self._t("restarted", state))
            self._advance(state, out)
        else:
            self._show_summary(state, out)

    # ----------------------------------------------------------------- showing

    def _advance(self, state: ChatState, out: _Out) -> None:
        for step in self.flow["steps"]:
            if step["slot"] in state.answers or not self._applies(step, state):
                continue
            state.phase, state.asking = "asking", step["slot"]
            self._show(state, step, out)
            return
        self._show_summary(state, out)

    def _may_skip(self, step: dict[str, Any], state: ChatState) -> bool:
        # "skip_only_with": the step may be skipped only when these answers are filled (a wish without topics
        # needs words).
        return bool(step.get("optional")) and all(
            state.answers.get(k) for k in step.get("skip_only_with", [])
        )

    def _applies(self, step: dict[str, Any], state: ChatState) -> bool:
        return all(state.answers.get(k) == v for k, v in (step.get("ask_if") or {}).items())

    def _present(self, state: ChatState, out: _Out) -> None:
        if state.phase in ("consent", "refused"):
            self._ask_consent(state, out)
        elif state.phase == "summary":
            self._show_summary(state, out)
        elif state.phase == "done":
            out.say(self._t("after_done", state))
            out.done = True
        elif state.phase == "stopped":
            out.say(self._t("stopped", state))
        else:
            step = self.steps.get(state.asking or "")
            if step is None:
                self._advance(state, out)
            else:
                self._show(state, step, out)

    def _show(
        self,
        state: ChatState,
        step: dict[str, Any],
        out: _Out,
        *,
        reask: bool = False,
        ask: bool = True,
        candidates: list[QuickReply] | None = None,
    ) -> None:
        choices = candidates or self._choices(state, step)
        if step["kind"] == "multi_choice":
            choices = [c for c in choices if c.value not in state.pending]
            choices.append(QuickReply(value=DONE, label=self._t("multi_done", state)))
        if self._may_skip(step, state):
            choices = [*choices, QuickReply(value=SKIP, label=self._t("skip", state))]
        if ask or reask:
            out.say(self._lang(step["reask" if reask else "ask"], state), choices)
        else:
            out.messages[-1].quick_replies = choices
        out.expecting = Expecting(slot=step["slot"], kind=_KINDS[step["kind"]], choices=choices)  # type: ignore[arg-type]

    def _show_summary(self, state: ChatState, out: _Out) -> None:
        state.phase, state.asking = "summary", None
        lines = [self._t("summary_intro", state)]
        for step in self.flow["steps"]:
            value = state.answers.get(step["slot"])
            if value in (None, "", []):
                continue
            lines.append(
                f"- {self._lang(step['ask'], state).rstrip('?.')}: {self._shown(state, step, value)}"
            )
        buttons = [
            QuickReply(value=CONFIRM, label=self._t("confirm", state)),
            QuickReply(value=RESTART, label=self._t("restart", state)),
        ]
        out.say("\n".join(lines))
        out.say(self._t("summary_question", state), buttons)
        out.expecting = Expecting(slot="confirm", kind="yes_no", choices=buttons)

    def _shown(self, state: ChatState, step: dict[str, Any], value: Any) -> str:
        if step["kind"] == "bestuur":
            return self.besturen.get(value, str(value))
        if step["kind"] == "yes_no":
            return self._t("label_yes" if value else "label_no", state)
        labels = {c.value: c.label for c in self._choices(state, step)}
        if isinstance(value, list):
            return ", ".join(labels.get(v, v) for v in value)
        return labels.get(value, str(value))

    # ----------------------------------------------------------------- helpers

    def aanvraag(self, state: ChatState) -> dict[str, Any]:
        """The answers as the raw fields of the web form (the service checks them the same way)."""
        a = state.answers
        return {
            "naam": a.get("naam", ""),
            "email": a.get("email", ""),
            "telefoon": a.get("telefoon") or "",
            "bestuur_id": a.get("bestuur_id", ""),
            "huidige_rol": a.get("huidige_rol", ""),
            "tags": list(a.get("tags") or []),
            "starter": bool(a.get("starter")),
            "wens": a.get("wens") or "",
            "urgentie": a.get("urgentie", "normaal"),
            "contact_kanaal": a.get("contact_kanaal", "email"),
            "tijden": a.get("tijden") or "",
            "taal": state.language,
            "kanaal": "telegram" if state.channel == "telegram" else "chat",
        }

    def _choices(self, state: ChatState, step: dict[str, Any]) -> list[QuickReply]:
        if step["kind"] == "yes_no":
            return self._yes_no_buttons(state, YES)
        return [
            QuickReply(value=str(c["value"]), label=self._lang(c["label"], state))
            for c in step.get("choices", [])
        ]

    def _yes_no_buttons(self, state: ChatState, yes_value: str) -> list[QuickReply]:
        return [
            QuickReply(value=yes_value, label=self._t("label_yes", state)),
            QuickReply(value=NO, label=self._t("label_no", state)),
        ]

    def _yes_no(self, text: str, state: ChatState) -> bool | None:
        if text in (YES, CONSENT):
            return True
        if text == NO:
            return False
        if self._word(text, "yes", state):
            return True
        if self._word(text, "no", state):
            return False
        return None

    def _word(self, text: str, key: str, state: ChatState) -> bool:
        words = set(self._t(f"words_{key}", state).split("|"))
        return " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split()) in words

    def _lang(self, texts: dict[str, str], state: ChatState) -> str:
        return str(texts.get(state.language) or texts["nl"]).strip()

    def _t(self, key: str, state: ChatState, **values: Any) -> str:
        return self._lang(self.flow["texts"][key], state).format(**values)


class _Out:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.expecting: Expecting | None = None
        self.effects: list[dict[str, Any]] = []
        self.done = False

    def say(self, text: str, replies: list[QuickReply] | None = None) -> None:
        self.messages.append(Message(text=text, quick_replies=replies or []))

    def effect(self, kind: str, **data: Any) -> None:
        self.effects.append({"type": kind, **data})

    def result(self) -> TurnResult:
        return TurnResult(
            messages=self.messages, expecting=self.expecting, done=self.done, effects=self.effects
        )
