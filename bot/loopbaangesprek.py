"""The loopbaangesprek chat: a short flow of its own, for the web widget and Telegram.

Pure like ``bot.engine``: a flow (the parsed ``knowledge/loopbaangesprek/flow.yaml``) and the list of
besturen go in, a state and the same ``TurnResult`` shape as the brede intake come out. When the person
confirms the summary the result carries the effect ``{"type": "loopbaangesprek", "aanvraag": {...}}``; the
service checks and stores the request and adds the confirmation with the expected date. Nothing typed before
consent is kept in the state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process, utils

from bot.guard import Turn, guard_turn, progress_print, shown_again
from bot.state import Expecting, QuickReply, TurnResult
from matching.coaching import tags_from_wish

MAX_INPUT = 4000
MAX_TEXT = 2000
CONSENT, YES, NO, SKIP, DONE, CONFIRM, RESTART, DONT_KNOW = (
    "consent_yes",
    "ja",
    "nee",
    "overslaan",
    "klaar",
    "bevestig",
    "opnieuw",
    "weet_niet",
)
UNKNOWN_BESTUUR = ""  # the answer "weet ik niet" / "staat er niet bij" to the bestuur question
MAX_BESTUUR_BUTTONS = 6
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
    "words_dont_know",
    "dont_know",
    "bestuur_unknown",
    "bestuur_unknown_ack",
    "moved_on",
    "moved_on_required",
)

Phase = Literal["consent", "refused", "asking", "summary", "stopped", "done"]


_BOARD_WORDS = re.compile(r"\b(stichting|vereniging|de|het|voor|onderwijs|scholengroep)\b")


def _board_key(name: str) -> str:
    """A board name for matching: the words every board name has ("Stichting") do not tell them apart."""
    return " ".join(_BOARD_WORDS.sub(" ", utils.default_process(name)).split())


_EMPTY: dict[str, Any] = {"multi_choice": [], "yes_no": None}


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
    asked: str | None = None  # the question shown last, for the loop guard (bot.guard)
    asked_times: int = 0
    asked_progress: str = ""  # fingerprint of the answers at the last showing
    asked_counts: dict[str, int] = {}  # showings per "question@answers fingerprint" (a circle is no progress)


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
    """Runs the loopbaangesprek flow. ``besturen`` are (id, naam) pairs of the boards to choose from;
    ``scholen`` (naam, bestuur id) pairs let a teacher name their school when the board's name is unknown
    to them. ``understanding`` reads yes/no and "weet ik niet" as the brede intake does (``bot.engine``)."""

    def __init__(
        self,
        flow: dict[str, Any],
        besturen: list[tuple[str, str]],
        *,
        scholen: list[tuple[str, str]] | Callable[[], list[tuple[str, str]]] | None = None,
        understanding: Any = None,
    ) -> None:
        self.flow = flow
        self.steps = {s["slot"]: s for s in flow["steps"]}
        self.besturen = dict(besturen)
        self._scholen_source = scholen
        self._scholen: dict[str, str] | None = None
        self.understanding = understanding

    @property
    def scholen(self) -> dict[str, str]:
        """School name -> bestuur id, read only when a message needs it; a name two boards share is left out."""
        if self._scholen is None:
            source = self._scholen_source
            pairs = (source() if callable(source) else source) or []
            found: dict[str, set[str]] = {}
            for naam, bestuur_id in pairs:
                if bestuur_id in self.besturen:
                    found.setdefault(naam, set()).add(bestuur_id)
            self._scholen = {naam: ids.pop() for naam, ids in found.items() if len(ids) == 1}
        return self._scholen

    # ----------------------------------------------------------------- public API

    def start(self, *, language: str = "nl", channel: str = "web") -> tuple[ChatState, TurnResult]:
        """A new chat: the consent question."""
        state = ChatState(language="en" if language == "en" else "nl", channel=channel)
        out = Turn()
        self._ask_consent(state, out)
        return self._finish(state, out)

    def handle(self, state: ChatState, text: str) -> tuple[ChatState, TurnResult]:
        """Process one message (typed text or a button value)."""
        state = state.model_copy(deep=True)
        out = Turn()
        text = _CONTROL.sub(" ", (text or "")[:MAX_INPUT]).strip()
        if not text:
            out.progress = True  # nothing typed: shown again, no miss
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
        out = Turn()
        self._present(state.model_copy(deep=True), out)
        return out.result()

    # ----------------------------------------------------------------- steps

    def _finish(self, state: ChatState, out: Turn) -> tuple[ChatState, TurnResult]:
        guard_turn(
            state,
            out,
            lambda turn: self._question_key(state, turn),
            lambda key, turn: self._move_on(state, key, turn),
            lambda: progress_print(state.answers, state.pending),
        )
        state.offered = [r.value for m in out.messages for r in m.quick_replies]
        return state, out.result()

    def _question_key(self, state: ChatState, out: Turn) -> str | None:
        if out.expecting is None or state.phase in ("refused", "done", "stopped"):
            return None
        return out.expecting.slot

    def _move_on(self, state: ChatState, key: str, out: Turn) -> None:
        """Instead of a third showing in a row: a sensible default, or an honest way out."""
        if key == "consent":
            state.phase = "refused"
            out.effect("consent_refused")
            out.say(self._lang(self.flow["consent"]["refused"], state), self._yes_no_buttons(state, CONSENT))
            return
        if key == "confirm":
            # "Klopt dit?" not answered twice: nothing is sent without a clear yes; the person can go on later.
            state.resume_phase, state.phase = "summary", "stopped"
            out.say(self._t("moved_on_required", state))
            return
        step = self.steps.get(key)
        if step is None:
            self._advance(state, out)
            return
        default = step.get("default")
        if step["kind"] == "bestuur":
            state.answers[key] = UNKNOWN_BESTUUR
            out.say(self._t("bestuur_unknown_ack", state))
        elif step.get("optional") or default is not None or step["kind"] in ("yes_no", "multi_choice"):
            state.answers[key] = default if default is not None else _EMPTY.get(step["kind"], "")
            out.say(self._t("moved_on", state))
        else:
            # A name or an address the coach needs: no guess. Stop here; typing anything asks again.
            state.resume_phase, state.phase = "asking", "stopped"
            out.say(self._t("moved_on_required", state))
            return
        state.pending = [] if step["kind"] == "multi_choice" else state.pending
        self._advance(state, out)

    def _on_consent(self, state: ChatState, text: str, out: Turn) -> None:
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

    def _ask_consent(self, state: ChatState, out: Turn) -> None:
        buttons = self._yes_no_buttons(state, CONSENT)
        out.ask()
        out.say(self._lang(self.flow["consent"]["ask"], state), buttons)
        out.expecting = Expecting(slot="consent", kind="consent", choices=buttons)

    def _on_answer(self, state: ChatState, text: str, out: Turn) -> None:
        step = self.steps.get(state.asking or "")
        if step is None:
            self._advance(state, out)
            return
        if self._is_dont_know(text) and step["kind"] == "bestuur":
            state.answers[step["slot"]] = UNKNOWN_BESTUUR
            out.say(self._t("bestuur_unknown_ack", state))
            self._advance(state, out)
            return
        if self._is_dont_know(text) and (step.get("default") is not None or step["kind"] in ("yes_no", "multi_choice")):
            state.answers[step["slot"]] = step.get("default", _EMPTY.get(step["kind"]))
            state.pending = []
            self._advance(state, out)
            return
        if text == SKIP or (self._is_dont_know(text) and self._may_skip(step, state)):
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
        return self._choice(state, step, text), []

    def _choice(self, state: ChatState, step: dict[str, Any], text: str) -> str | None:
        """A choice by its value, its label or one of its words ("juf" is a leerkracht), typos allowed."""
        folded = utils.default_process(text)
        if not folded:
            return None
        names: dict[str, str] = {}
        for choice in step.get("choices", []):
            value = str(choice["value"])
            for name in [value, *choice["label"].values(), *choice.get("words", [])]:
                names[utils.default_process(str(name))] = value
        if text in names.values():
            return text
        if folded in names:
            return names[folded]
        # A word of a choice inside a longer answer ("ik ben juf in groep 5"): take it when only one choice has one.
        words = f" {folded} "
        inside = {value for name, value in names.items() if len(name) >= 3 and f" {name} " in words}
        if len(inside) == 1:
            return inside.pop()
        best = process.extractOne(folded, list(names), scorer=fuzz.ratio, score_cutoff=85)
        return names[best[0]] if best is not None else None

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
        # A school's name stands for its board ("ik werk op De Regenboog in Zeist").
        school = process.extractOne(text, list(self.scholen), scorer=fuzz.WRatio, processor=_board_key,
                                    score_cutoff=88) if self.scholen and _board_key(text) else None
        if school is not None:
            return self.scholen[school[0]], []
        candidates = [QuickReply(value=str(key), label=str(name)) for name, _score, key in matches]
        return None, candidates

    def _on_multi(self, state: ChatState, step: dict[str, Any], text: str, out: Turn) -> None:
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

    def _on_summary(self, state: ChatState, text: str, out: Turn) -> None:
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

    def _advance(self, state: ChatState, out: Turn) -> None:
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

    def _present(self, state: ChatState, out: Turn) -> None:
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
        out: Turn,
        *,
        reask: bool = False,
        ask: bool = True,
        candidates: list[QuickReply] | None = None,
    ) -> None:
        choices = candidates or self._choices(state, step)
        if step["kind"] == "bestuur" and (reask or shown_again(state, step["slot"])):
            # "kies hieronder" always has choices: the closest names, else some boards, and "weet ik niet".
            choices = (choices or [
                QuickReply(value=key, label=name) for key, name in list(self.besturen.items())[:MAX_BESTUUR_BUTTONS]
            ])[:MAX_BESTUUR_BUTTONS] + [QuickReply(value=DONT_KNOW, label=self._t("bestuur_unknown", state))]
        if step["kind"] == "multi_choice":
            choices = [c for c in choices if c.value not in state.pending]
            choices.append(QuickReply(value=DONE, label=self._t("multi_done", state)))
        if self._may_skip(step, state):
            choices = [*choices, QuickReply(value=SKIP, label=self._t("skip", state))]
        if ask or reask:
            out.ask()
            out.say(self._lang(step["reask" if reask else "ask"], state), choices)
        else:
            out.progress = True  # a topic picked: the same question goes on
            out.messages[-1].quick_replies = choices
        out.expecting = Expecting(slot=step["slot"], kind=_KINDS[step["kind"]], choices=choices)  # type: ignore[arg-type]

    def _show_summary(self, state: ChatState, out: Turn) -> None:
        state.phase, state.asking = "summary", None
        lines = [self._t("summary_intro", state)]
        for step in self.flow["steps"]:
            value = state.answers.get(step["slot"])
            if step["kind"] == "bestuur" and value == UNKNOWN_BESTUUR:
                value = self._t("bestuur_unknown", state)
            elif value in (None, "", []):
                continue
            lines.append(
                f"- {self._lang(step['ask'], state).rstrip('?.')}: {self._shown(state, step, value)}"
            )
        buttons = [
            QuickReply(value=CONFIRM, label=self._t("confirm", state)),
            QuickReply(value=RESTART, label=self._t("restart", state)),
        ]
        out.ask()
        out.say("\n".join(lines))
        out.say(self._t("summary_question", state), buttons)
        out.expecting = Expecting(slot="confirm", kind="yes_no", choices=buttons)

    def _shown(self, state: ChatState, step: dict[str, Any], value: Any) -> str:
        if step["kind"] == "bestuur":
            return self.besturen.get(value, str(value))  # the "weet ik niet" label when unknown
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
            "bestuur_onbekend": a.get("bestuur_id") == UNKNOWN_BESTUUR,
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
        reader = getattr(self.understanding, "yes_no", None)
        if reader is not None:
            answer = reader(text, state.language)
            if answer is not None:
                return bool(answer)
        if self._word(text, "yes", state):
            return True
        if self._word(text, "no", state):
            return False
        return None

    def _is_dont_know(self, text: str) -> bool:
        if text == DONT_KNOW:
            return True
        reader = getattr(self.understanding, "is_dont_know", None)
        if reader is not None and reader(text):
            return True
        return any(self._word(text, "dont_know", ChatState(language=lang)) for lang in ("nl", "en"))

    def _word(self, text: str, key: str, state: ChatState) -> bool:
        words = set(self._t(f"words_{key}", state).split("|"))
        return " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split()) in words

    def _lang(self, texts: dict[str, str], state: ChatState) -> str:
        return str(texts.get(state.language) or texts["nl"]).strip()

    def _t(self, key: str, state: ChatState, **values: Any) -> str:
        return self._lang(self.flow["texts"][key], state).format(**values)
