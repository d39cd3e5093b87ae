"""The channel-agnostic intake engine: one message in, the next state and the bot's answer out.

Pure: no files, network, database, clock or randomness. The web widget, Telegram and the API all
call ``IntakeEngine.handle`` once per incoming message and store the returned ``IntakeState``.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from bot import render
from bot.conditions import applies, holds, next_slot, stale_after_change
from bot.guard import MAX_SHOWINGS, Turn, guard_turn, progress_print, shown_again
from bot.state import Expecting, IntakeState, Phase, QuickReply, TurnResult
from knowledge.schema.intake import CHOICE_KINDS, IntakeFlow, SlotSpec
from knowledge.schema.text import LANGUAGES, language_or_default
from matching.profile import MAX_FREE_TEXT, SLOTS, validate_slot

MAX_INPUT = 4000  # the service caps too; the engine must be safe on its own
NOT_EXTRACTED = frozenset({"consent", "language"})  # set by the consent step and the chat, not by sentences

_OWN_BUTTON_LABELS = {
    render.CANCEL: "cancel", render.RESUME: "resume", render.CONFIRM: "confirm", render.BACK: "back",
    render.EDIT_ANY: "edit_any", render.HANDOFF: "handoff", render.RESTART: "restart", render.ERASE: "erase",
    render.SKIP: "skip", render.MULTI_DONE: "multi_done", render.MULTI_NONE: "none_of_these",
}
# Phases that ask one of the bot's own yes/no questions: a yes or no there is an answer before a command.
_OWN_YES_NO = frozenset({"restart_confirm", "handoff_continue", "summary", "handoff_contact", "edit_choice"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+|00)?\d[\d\s().-]{7,}\d")
_BUTTON_VALUE = re.compile(r"^[a-z0-9_]+$")
_PLAIN_NUMBER = re.compile(r"^\d{1,4}(?:[.,]\d{1,2})?$")


class Extraction(Protocol):
    """What ``bot.understand.extract`` returns."""

    values: dict[str, Any]
    dont_know: bool


class Understanding(Protocol):
    """Free-text understanding, bound to a lexicon (``bot.understand`` behind a small adapter)."""

    def extract(
        self, text: str, *, expecting: str | None, expecting_kind: str | None, language: str
    ) -> Any: ...

    def detect_intent(self, text: str) -> str | None: ...

    def extract_edit_target(self, text: str) -> str | None: ...


class LexiconUnderstanding:
    """``bot.understand`` with its lexicon filled in."""

    def __init__(self, lexicon: Any) -> None:
        from bot import understand  # imported here so the engine module loads without the lexicon code

        self._understand = understand
        self._lexicon = lexicon

    def extract(self, text: str, *, expecting: str | None, expecting_kind: str | None, language: str) -> Any:
        """Slot values found in ``text``."""
        return self._understand.extract(
            text, lexicon=self._lexicon, expecting=expecting, expecting_kind=expecting_kind, language=language
        )

    def detect_intent(self, text: str) -> str | None:
        """A conversation intent such as "stop" or "handoff", or None."""
        return self._understand.detect_intent(text, self._lexicon)

    def extract_edit_target(self, text: str) -> str | None:
        """The slot a correction is about, or None."""
        return self._understand.extract_edit_target(text, self._lexicon)

    def yes_no(self, text: str, language: str) -> bool | None:
        """A yes or a no to one of the bot's own questions, or None."""
        reader = getattr(self._understand, "read_yes_no", None)
        return reader(text, self._lexicon) if reader is not None else None

    def is_dont_know(self, text: str) -> bool:
        """The message says "I don't know" (or "not applicable") and nothing else."""
        reader = getattr(self._understand, "read_dont_know", None)
        return bool(reader(text, self._lexicon)) if reader is not None else False


class IntakeEngine:
    """Runs the brede intake defined by an ``IntakeFlow``. Holds no per-person data."""

    def __init__(
        self,
        flow: IntakeFlow,
        lexicon: Any,
        vocab: render.Labels,
        *,
        understanding: Understanding | None = None,
    ) -> None:
        self.flow = flow
        self.vocab = vocab
        self.understanding = understanding if understanding is not None else LexiconUnderstanding(lexicon)

    # ----------------------------------------------------------------- public API

    def start(self, *, language: str = "nl", channel: str = "web") -> tuple[IntakeState, TurnResult]:
        """A new intake: the consent question."""
        state = IntakeState(language=language_or_default(language), channel=channel)
        out = Turn()
        self._present(state, out)
        self._finish(state, out)
        return state, out.result()

    def handle(self, state: IntakeState, text: str, *, in_place: bool = False) -> tuple[IntakeState, TurnResult]:
        """Process one message (typed text or a button's value) and return the new state and the answer.

        ``state`` is left as it was, unless ``in_place``: a caller that made the state for this one call
        (read from storage) saves the deep copy.
        """
        if not in_place:
            state = state.model_copy(deep=True)
        out = Turn()
        text = _clean(text)
        if not text:
            out.progress = True  # nothing typed (only spaces or control characters): shown again, no miss
            self._present(state, out, reshow=True)
        else:
            self._dispatch(state, text, out)
        self._finish(state, out)
        return state, out.result()

    def prompt(self, state: IntakeState) -> TurnResult:
        """Show again where the person is (after a reload, on another device); changes nothing."""
        out = Turn()
        self._present(state.model_copy(deep=True), out, reshow=True)
        return out.result()

    def set_language(self, state: IntakeState, language: str) -> tuple[IntakeState, TurnResult]:
        """Switch the chat language, keep every answer and show the current question again."""
        state = state.model_copy(deep=True)
        out = Turn()
        self._switch_language(state, language_or_default(language), out)
        self._finish(state, out)
        return state, out.result()

    # ----------------------------------------------------------------- the loop guard

    def _finish(self, state: IntakeState, out: Turn) -> None:
        """Never show a question a third time in a row (bot.guard); remember the buttons shown."""
        guard_turn(
            state,
            out,
            lambda turn: self._question_key(state, turn),
            lambda key, turn: self._move_on(state, key, turn),
            lambda: progress_print(state.answers, state.dont_know, state.skipped, state.pending_multi),
            shown_in_all=lambda key: state.shown.get(key, 0),
        )
        state.offered = [r.value for m in out.messages for r in m.quick_replies]

    def _question_key(self, state: IntakeState, out: Turn) -> str | None:
        """The question this turn shows: a slot or one of the bot's own steps; None at an end."""
        if out.expecting is None or state.phase in ("refused", "erased", "paused", "done"):
            return None
        return out.expecting.slot

    def _move_on(self, state: IntakeState, key: str, out: Turn) -> None:
        """What happens instead of showing question ``key`` a third time in a row."""
        lang = state.language
        if state.phase == "asking" and state.asking == key and self.flow.has_slot(key):
            spec = self.flow.slot(key)
            self._settle_special(state, spec, "skipped", out)
            out.say(self.flow.text("moved_on_required" if spec.required else "moved_on", lang))
            self._advance(state, out)
        elif key == "consent":
            state.phase = "refused"
            out.effect("consent_refused")
            out.say(self.flow.text("consent_moved_on", lang), self._consent_buttons(lang))
        elif key == "confirm":
            out.say(self.flow.text("summary_moved_on", lang))
            self._confirm(state, out)
        elif key == "contact":
            state.handoff_contact = state.handoff_contact_kind = None
            out.say(self.flow.text("handoff_moved_on", lang))
            self._resume(state, out)
        elif key == "resume":
            out.say(self.flow.text("welcome_back", lang))
            self._resume(state, out)
        else:  # edit, restart, continue, contact_preferred: leave the step and go on where the person was
            out.say(self.flow.text("edit_cancelled", lang))
            self._resume(state, out)

    # ----------------------------------------------------------------- dispatch

    def _dispatch(self, state: IntakeState, text: str, out: Turn) -> None:
        text = self._typed_label(state, text)
        is_button = text in state.offered
        intent = None if is_button else self.understanding.detect_intent(text)
        if intent == "stop" and state.phase in _OWN_YES_NO and self._yes_no(text, state.language) is not None:
            intent = None  # "nee hoor, laat maar" answers "Wil je echt opnieuw beginnen?"; it is no "stop"
        if intent is not None and intent.startswith("language_"):
            self._switch_language(state, language_or_default(intent.removeprefix("language_")), out)
            return
        if intent == "help":
            out.say(self.flow.text("help", state.language))
            self._present(state, out, reshow=True)
            return
        if state.phase in ("consent", "refused", "erased"):
            self._before_consent(state, text, intent, out)
            return
        if text == render.ERASE or intent == "erase":
            self._erase(state, out)
            return
        if text == render.HANDOFF or intent == "handoff":
            self._start_handoff(state, out)
            return
        if intent == "stop" and state.phase != "stopped":
            self._stop(state, out)
            return
        if text == render.RESTART or intent == "restart":
            if state.phase == "restart_confirm":  # asked twice: that is a yes
                self._on_restart_confirm(state, render.YES, out)
            else:
                self._ask_restart(state, out)
            return
        if text.startswith(render.EDIT_PREFIX):
            self._edit_slot(state, text[len(render.EDIT_PREFIX) :], out)
            return
        if text == render.EDIT_ANY or intent == "edit":
            self._edit_request(state, text, out)
            return
        handler = {
            "asking": self._on_answer,
            "edit_choice": self._on_edit_choice,
            "summary": self._on_summary,
            "restart_confirm": self._on_restart_confirm,
            "handoff_contact": self._on_contact,
            "handoff_preferred": self._on_preferred,
            "handoff_continue": self._on_continue,
            "paused": self._on_paused,
            "done": self._on_done,
            "stopped": self._on_stopped,
        }[state.phase]
        handler(state, text, out)

    # ----------------------------------------------------------------- consent

    def _before_consent(self, state: IntakeState, text: str, intent: str | None, out: Turn) -> None:
        lang = state.language
        if state.phase == "erased":
            # A fresh start: nothing of the erased intake is left, and nothing typed now is kept.
            state.phase = "consent"
            self._present(state, out)
            return
        if intent == "handoff":
            out.say(self.flow.text("handoff_need_consent", lang))
            self._present(state, out, reshow=True)
            return
        if intent in ("stop", "erase"):
            self._refuse(state, out)
            return
        answer = self._yes_no(text, state.language)
        if answer is None and state.phase == "consent":
            found = self.understanding.extract(
                text, expecting="consent", expecting_kind="consent", language=lang
            )
            consent = getattr(found, "values", {}).get("consent")
            answer = consent if isinstance(consent, bool) else None
        if answer is True:
            state.phase = "asking"
            state.consent_version = self.flow.consent.version
            out.event("answered", "consent", True, "button" if text in state.offered else "text")
            out.effect("consent_given", version=self.flow.consent.version)
            out.say(self.flow.consent.given.get(lang))
            self._advance(state, out)
        elif answer is False:
            self._refuse(state, out)
        elif state.phase == "refused":
            # Nothing is asked any more (expecting null): the buttons stay, and a "ja" still starts.
            out.say(self.flow.text("refused_reminder", lang), self._consent_buttons(lang))
        else:
            out.event("invalid", "consent", None, "text")
            out.ask()
            out.say(self.flow.consent.reask.get(lang), self._consent_buttons(lang))
            out.expecting = Expecting(slot="consent", kind="consent", choices=self._consent_buttons(lang))

    def _refuse(self, state: IntakeState, out: Turn) -> None:
        lang = state.language
        state.phase = "refused"
        out.effect("consent_refused")
        out.say(self.flow.consent.refused.get(lang), self._consent_buttons(lang))

    def _consent_buttons(self, language: str) -> list[QuickReply]:
        return [
            QuickReply(value=render.YES, label=self.flow.consent.yes_label.get(language)),
            QuickReply(value=render.NO, label=self.flow.consent.no_label.get(language)),
        ]

    # ----------------------------------------------------------------- answering a question

    def _on_answer(self, state: IntakeState, text: str, out: Turn) -> None:
        slot = state.asking
        if slot is None or not self.flow.has_slot(slot):
            self._advance(state, out)
            return
        spec = self.flow.slot(slot)
        lang = state.language
        if text == render.SKIP:
            self._settle_special(state, spec, "skipped", out)
            out.say(self.flow.text("skipped_ack", lang))
            self._advance(state, out)
            return
        if text == render.DONT_KNOW and not self._is_choice_value(spec, text):
            self._dont_know(state, spec, out)
            return
        if spec.kind == "multi_choice" and self._on_multi_button(state, spec, text, out):
            return
        button = self._button_value(state, spec, text)
        if button is not None:
            self._answer_and_advance(state, {slot: button}, slot, "button", out, confirm=False)
            return

        found = self.understanding.extract(text, expecting=slot, expecting_kind=spec.kind, language=lang)
        values = self._validated(getattr(found, "values", {}) or {})
        guessed = getattr(found, "guessed", set())
        earlier = {s for s in values if s != slot and state.is_settled(s)}
        if earlier and slot in values and slot not in guessed and not getattr(found, "corrects", True):
            # The message answers this question; what it also says about an earlier answer is no change
            # ("de lagere school, nu basisschool" is no new answer about work). "ik bedoel", "toch" are.
            values = {s: v for s, v in values.items() if s not in earlier}
        elif earlier and slot in guessed:
            # Only about an earlier answer ("master" at the field question): a correction, not this answer.
            values.pop(slot)
        if slot not in values and self._looks_like_old_button(state, spec, text):
            self._old_button(state, spec, text, out)
            return
        if spec.kind == "multi_choice" and slot in values and state.pending_multi:
            values[slot] = validate_slot(slot, state.pending_multi + list(values[slot]))
        if slot not in values and not values and not getattr(found, "dont_know", False):
            fallback = self._free_text_fallback(spec, text)
            if fallback is not None:
                values[slot] = fallback
        if slot in values or values:
            self._answer_and_advance(state, values, slot, "text", out, confirm=True)
            return
        if getattr(found, "dont_know", False):
            self._dont_know(state, spec, out)
            return
        self._miss(state, spec, out)

    def _answer_and_advance(
        self,
        state: IntakeState,
        values: dict[str, Any],
        expected: str,
        source: str,
        out: Turn,
        *,
        confirm: bool,
    ) -> None:
        """Store every value found; echo what was understood; ask what comes next."""
        new_items: list[str] = []
        changed_items: list[str] = []
        changed: set[str] = set()
        for slot in self._flow_order(values):
            spec = self.flow.slot(slot)
            had = state.is_settled(slot)
            before = state.answers.get(slot)
            if slot in state.answers and before == values[slot]:
                continue
            this_source = source if slot == expected else "extracted"
            self._store(state, slot, values[slot])
            item = render.confirm_item(self.flow, self.vocab, spec, values[slot], state.language)
            # A new value for a slot settled before (also the one re-asked in an edit) is a correction.
            if had:
                out.event("edited", slot, values[slot], this_source)
                changed.add(slot)
                changed_items.append(item)
            else:
                out.event("answered", slot, values[slot], this_source)
                new_items.append(item)
        if expected in values:
            state.misses.pop(expected, None)
            state.pending_multi = []
        self._forget(state, self._stale(state, changed))
        if changed and expected not in values:
            # A correction in passing: ask what it made stale first, in flow order, then the open question.
            state.asking = None
        lang = state.language
        if changed_items:
            out.say(self.flow.text("changed", lang, items=render.CONFIRM_SEPARATOR.join(changed_items)))
        if new_items and confirm:
            out.say(self.flow.text("understood", lang, items=render.CONFIRM_SEPARATOR.join(new_items)))
        self._after_change(state, out)

    def _after_change(self, state: IntakeState, out: Turn) -> None:
        # After a change in the summary or after the advice, go back there once nothing is missing.
        if state.phase in ("summary", "done") and next_slot(self.flow, state) is None:
            self._show_summary(state, out)
            return
        state.phase = "asking"
        self._advance(state, out)

    def _dont_know(self, state: IntakeState, spec: SlotSpec, out: Turn) -> None:
        self._settle_special(state, spec, "dont_know", out)
        out.say(self.flow.text("dont_know_ack", state.language))
        self._advance(state, out)

    def _settle_special(self, state: IntakeState, spec: SlotSpec, kind: str, out: Turn) -> None:
        """Record "weet ik niet" or a skip; an enum that has ``weet_niet`` gets it as its value."""
        had = state.is_settled(spec.slot)
        self._forget(state, [spec.slot])
        if kind == "dont_know":
            state.dont_know.append(spec.slot)
            if self._is_choice_value(spec, render.DONT_KNOW):
                state.answers[spec.slot] = render.DONT_KNOW
        else:
            state.skipped.append(spec.slot)
        out.event(kind, spec.slot, None, None)
        if had:
            self._forget(state, self._stale(state, {spec.slot}))

    def _miss(self, state: IntakeState, spec: SlotSpec, out: Turn) -> None:
        state.misses[spec.slot] = state.misses.get(spec.slot, 0) + 1
        out.event("invalid", spec.slot, None, "text")
        self._show_question(state, spec, out, reask=True)

    def _on_multi_button(self, state: IntakeState, spec: SlotSpec, text: str, out: Turn) -> bool:
        """Buttons of a multi-choice question collect picks until "klaar"; True when handled."""
        lang = state.language
        choices = {c.value for c in render.slot_choices(self.flow, self.vocab, spec, lang)}
        if text == render.MULTI_DONE or text == render.MULTI_NONE or self._word(text, "done_multi", lang):
            picks = [] if text == render.MULTI_NONE else state.pending_multi
            self._answer_and_advance(
                state, {spec.slot: validate_slot(spec.slot, picks)}, spec.slot, "button", out, confirm=False
            )
            return True
        if self._word(text, "none", lang):
            self._answer_and_advance(state, {spec.slot: []}, spec.slot, "text", out, confirm=False)
            return True
        value = text if text in choices else self._value_by_label(state, text)
        if value is None or value not in choices:
            return False
        if value not in state.pending_multi:
            state.pending_multi.append(value)
        label = render.format_value(self.flow, self.vocab, spec, state.pending_multi, lang)
        out.say(self.flow.text("multi_added", lang, items=label))
        self._show_question(state, spec, out, ask=False)
        return True

    def _looks_like_old_button(self, state: IntakeState, spec: SlotSpec, text: str) -> bool:
        """True for a choice value of another question ("hbo_bachelor") sent while this one is asked."""
        if (
            spec.kind in ("text", "place")
            or not _BUTTON_VALUE.match(text)
            or self._is_choice_value(spec, text)
        ):
            return False
        if (
            text in (render.YES, render.NO, render.DONT_KNOW)
            or self._yes_no(text, state.language) is not None
        ):
            return False  # too common to tell which question it answered
        return any(self._is_choice_value(s, text) for s in self.flow.slots)

    def _old_button(self, state: IntakeState, spec: SlotSpec, text: str, out: Turn) -> None:
        """A button value of another question: a correction when only one question has it, else re-ask."""
        owners = [s for s in self.flow.slots if s.slot != spec.slot and self._is_choice_value(s, text)]
        if len(owners) == 1 and owners[0].kind == "choice":
            owner = owners[0].slot
            if state.answers.get(owner) != text and (
                state.is_settled(owner) or applies(owners[0], state.answers)
            ):
                self._answer_and_advance(
                    state, {owner: validate_slot(owner, text)}, spec.slot, "button", out, confirm=True
                )
                return
        out.say(self.flow.text("old_button", state.language))
        self._show_question(state, spec, out, ask=True, event=False)

    # ----------------------------------------------------------------- edits

    def _edit_request(self, state: IntakeState, text: str, out: Turn) -> None:
        """ "wijzig", "nee, ik bedoelde hbo": apply a value if one is given, else ask which answer."""
        if text != render.EDIT_ANY:
            found = self.understanding.extract(
                text, expecting=None, expecting_kind=None, language=state.language
            )
            values = self._validated(getattr(found, "values", {}) or {})
            corrections = {s: v for s, v in values.items() if state.answers.get(s) != v}
            if corrections:
                if state.phase not in ("summary", "done"):
                    state.phase = "asking"
                self._answer_and_advance(state, corrections, "", "text", out, confirm=True)
                return
            target = self.understanding.extract_edit_target(text)
            if target and self.flow.has_slot(target):
                self._edit_slot(state, target, out)
                return
        self._show_edit_choice(state, out)

    def _show_edit_choice(self, state: IntakeState, out: Turn) -> None:
        lang = state.language
        buttons = render.edit_buttons(self.flow, state)
        if not buttons:
            out.say(self.flow.text("edit_nothing", lang))
            self._present(state, out, reshow=True)
            return
        if state.phase != "edit_choice":
            state.resume_phase, state.resume_asking = state.phase, state.asking
        state.phase = "edit_choice"
        back = QuickReply(value=render.BACK, label=self.flow.label("back", lang))
        out.ask()
        out.say(self.flow.text("edit_choose", lang), buttons + [back])
        out.expecting = Expecting(slot="edit", kind="choice", choices=buttons)

    def _on_edit_choice(self, state: IntakeState, text: str, out: Turn) -> None:
        if text == render.BACK or self._yes_no(text, state.language) is False:
            out.say(self.flow.text("edit_cancelled", state.language))
            self._resume(state, out)
            return
        target = self.understanding.extract_edit_target(text) or self._value_by_label(state, text, edit=True)
        if target and self.flow.has_slot(target):
            self._edit_slot(state, target, out)
            return
        self._show_edit_choice(state, out)

    def _edit_slot(self, state: IntakeState, slot: str, out: Turn) -> None:
        """Ask ``slot`` again; its old answer stays until a new one comes."""
        if not self.flow.has_slot(slot):
            self._present(state, out, reshow=True)
            return
        came_from = state.resume_phase if state.phase == "edit_choice" else state.phase
        # Editing from the summary or after the advice returns there; mid-intake it continues in order.
        state.phase = "asking"
        state.resume_phase = came_from if came_from in ("summary", "done") else None
        state.asking = slot
        state.pending_multi = []
        self._show_question(state, self.flow.slot(slot), out, ask=True)

    # ----------------------------------------------------------------- summary and done

    def _on_summary(self, state: IntakeState, text: str, out: Turn) -> None:
        answer = True if text == render.CONFIRM else self._yes_no(text, state.language)
        if answer is True:
            self._confirm(state, out)
            return
        if self._apply_free_corrections(state, text, out):
            return
        if answer is False:
            self._show_edit_choice(state, out)
            return
        if self._dont_know_text(text):
            # "weet ik niet" at "Klopt alles?": the advice on what is known, which can still be changed.
            out.say(self.flow.text("summary_dont_know_ack", state.language))
            self._confirm(state, out)
            return
        self._show_summary(state, out, reask=True)

    def _confirm(self, state: IntakeState, out: Turn) -> None:
        state.phase = "done"
        state.asking = None
        out.event("done")
        out.effect("done")
        out.done = True
        out.say(self.flow.text("done", state.language))

    def _on_done(self, state: IntakeState, text: str, out: Turn) -> None:
        if not self._apply_free_corrections(state, text, out):
            self._present(state, out, reshow=True)

    def _apply_free_corrections(self, state: IntakeState, text: str, out: Turn) -> bool:
        found = self.understanding.extract(text, expecting=None, expecting_kind=None, language=state.language)
        values = self._validated(getattr(found, "values", {}) or {})
        corrections = {s: v for s, v in values.items() if state.answers.get(s) != v}
        if not corrections:
            return False
        self._answer_and_advance(state, corrections, "", "text", out, confirm=True)
        return True

    def _show_summary(self, state: IntakeState, out: Turn, *, reask: bool = False) -> None:
        lang = state.language
        state.phase = "summary"
        state.asking = None
        applicable = [s.slot for s in self.flow.slots if applies(s, state.answers)]
        lines = render.summary_lines(self.flow, self.vocab, state, applicable)
        confirm = QuickReply(value=render.CONFIRM, label=self.flow.label("confirm", lang))
        buttons = [confirm] + render.edit_buttons(self.flow, state)
        out.ask()
        if reask:
            out.say(self.flow.text("summary_reask", lang), buttons)
            out.expecting = Expecting(slot="confirm", kind="choice", choices=buttons)
            return
        out.say("\n".join([self.flow.text("summary_intro", lang), *lines]))
        out.say(self.flow.text("summary_question", lang), buttons)
        out.expecting = Expecting(slot="confirm", kind="choice", choices=buttons)
        out.event("summary_shown")

    # ----------------------------------------------------------------- handoff

    def _start_handoff(self, state: IntakeState, out: Turn) -> None:
        if not state.phase.startswith("handoff"):
            state.resume_phase, state.resume_asking = state.phase, state.asking
        state.phase = "handoff_contact"
        self._present(state, out)

    def _on_contact(self, state: IntakeState, text: str, out: Turn) -> None:
        lang = state.language
        if text == render.CANCEL or self._yes_no(text, lang) is False:
            state.handoff_contact = state.handoff_contact_kind = None
            out.say(self.flow.text("handoff_cancelled", lang))
            self._resume(state, out, side_trip=True)
            return
        email = _EMAIL.search(text)
        phone = _PHONE.search(text)
        if email:
            state.handoff_contact, state.handoff_contact_kind = email.group(0), "email"
        elif phone and len(re.sub(r"\D", "", phone.group(0))) >= 10:
            state.handoff_contact, state.handoff_contact_kind = " ".join(phone.group(0).split()), "phone"
        else:
            out.ask()
            out.say(self.flow.text("handoff_reask_contact", lang), self._cancel_button(lang))
            out.expecting = Expecting(slot="contact", kind="text")
            return
        state.phase = "handoff_preferred"
        self._present(state, out)

    def _on_preferred(self, state: IntakeState, text: str, out: Turn) -> None:
        lang = state.language
        preferred = self._value_by_label(state, text) or text
        out.effect(
            "handoff",
            contact=state.handoff_contact,
            contact_kind=state.handoff_contact_kind,
            preferred=preferred[:MAX_FREE_TEXT],
        )
        state.handoff_contact = state.handoff_contact_kind = None
        out.say(self.flow.text("handoff_done", lang))
        if state.resume_phase in ("summary", "done", "stopped"):
            self._resume(state, out)
            return
        state.phase = "handoff_continue"
        self._present(state, out)

    def _on_continue(self, state: IntakeState, text: str, out: Turn) -> None:
        answer = self._yes_no(text, state.language)
        if answer is False:
            state.phase = "paused"
            out.say(self.flow.text("paused", state.language))
            return
        self._resume(state, out)
        if answer is None and state.phase == "asking":
            # Not a yes or no: most likely the answer to the question itself.
            out.messages.clear()
            out.events.clear()
            self._on_answer(state, text, out)

    def _on_paused(self, state: IntakeState, text: str, out: Turn) -> None:
        out.say(self.flow.text("welcome_back", state.language))
        self._resume(state, out)

    # ----------------------------------------------------------------- stop, erase, restart, language

    def _stop(self, state: IntakeState, out: Turn) -> None:
        if state.phase == "asking":
            out.event("abandoned", state.asking)
        state.resume_phase, state.resume_asking = state.phase, state.asking
        state.handoff_contact = state.handoff_contact_kind = None
        state.phase = "stopped"
        out.effect("stop")
        out.say(self.flow.text("stopped", state.language), self._stopped_buttons(state.language))

    def _on_stopped(self, state: IntakeState, text: str, out: Turn) -> None:
        if text == render.RESUME or self._yes_no(text, state.language) is True:
            out.say(self.flow.text("welcome_back", state.language))
            self._resume(state, out, side_trip=True)
            return
        self._present(state, out)

    def _erase(self, state: IntakeState, out: Turn) -> None:
        if state.phase == "asking":
            out.event("abandoned", state.asking)
        language, channel = state.language, state.channel
        for field, value in IntakeState(language=language, channel=channel).model_dump().items():
            setattr(state, field, value)
        state.phase = "erased"
        out.effect("erase")
        out.say(self.flow.text("erased", language))

    def _ask_restart(self, state: IntakeState, out: Turn) -> None:
        state.resume_phase, state.resume_asking = state.phase, state.asking
        state.phase = "restart_confirm"
        self._present(state, out)

    def _on_restart_confirm(self, state: IntakeState, text: str, out: Turn) -> None:
        lang = state.language
        answer = self._yes_no(text, lang)
        if answer is True:
            kept = {"language": lang, "channel": state.channel, "consent_version": state.consent_version}
            for field, value in IntakeState(**kept).model_dump().items():
                setattr(state, field, value)
            state.phase = "asking"
            out.effect("restart")
            out.say(self.flow.text("restart_done", lang))
            self._advance(state, out)
            return
        out.say(self.flow.text("restart_cancelled", lang))
        self._resume(state, out, side_trip=True)
        if answer is None and state.phase == "asking":
            out.messages.clear()
            self._on_answer(state, text, out)

    def _switch_language(self, state: IntakeState, language: str, out: Turn) -> None:
        state.language = language_or_default(language)
        out.effect("language", language=state.language)
        out.progress = True
        out.say(self.flow.text("language_switched", state.language))
        self._present(state, out, reshow=True)

    # ----------------------------------------------------------------- showing where we are

    def _resume(self, state: IntakeState, out: Turn, *, side_trip: bool = False) -> None:
        """Back to where the person was. After a side trip they chose themselves (a restart or a contact
        request they called off, a stop) the question shown again is no repeat for the loop guard."""
        out.progress = out.progress or side_trip
        phase: Phase = state.resume_phase or "asking"
        if phase in (
            "handoff_contact",
            "handoff_preferred",
            "handoff_continue",
            "restart_confirm",
            "stopped",
            "paused",
            "edit_choice",
        ):
            phase = "asking"
        state.phase, state.asking = phase, state.resume_asking
        state.resume_phase = state.resume_asking = None
        if phase == "asking":
            self._advance(state, out, prefer=state.asking)
        else:
            self._present(state, out)

    def _advance(self, state: IntakeState, out: Turn, prefer: str | None = None) -> None:
        """Ask the next question that matters, or show the summary when none is left."""
        if state.asking and state.phase == "asking" and not state.is_settled(state.asking):
            prefer = prefer or state.asking
        self._infer(state, out)
        slot = next_slot(self.flow, state, prefer=prefer)
        while slot is not None and state.shown.get(slot, 0) > MAX_SHOWINGS:
            # Asked three times already (it came back because other answers moved): no more. Skipped, shown
            # in the summary, where the person can still change it.
            self._settle_special(state, self.flow.slot(slot), "skipped", out)
            out.say(self.flow.text("moved_on", state.language))
            slot = next_slot(self.flow, state)
        if slot is None:
            state.resume_phase = None
            self._show_summary(state, out)
            return
        state.phase = "asking"
        state.asking = slot
        self._show_question(state, self.flow.slot(slot), out, ask=True)

    def _infer(self, state: IntakeState, out: Turn) -> None:
        """Take the values the flow infers without asking (``infer`` in flow.yaml), and say so."""
        items = []
        for spec in self.flow.slots:
            if state.is_settled(spec.slot) or not applies(spec, state.answers):
                continue
            rule = next((r for r in spec.infer if holds(r.if_, state.answers)), None)
            if rule is None:
                continue
            value = validate_slot(spec.slot, rule.value)
            self._store(state, spec.slot, value)
            out.event("answered", spec.slot, value, "inferred")
            items.append(render.confirm_item(self.flow, self.vocab, spec, value, state.language))
        if items:
            out.say(self.flow.text("inferred", state.language, items=render.CONFIRM_SEPARATOR.join(items)))

    def _present(self, state: IntakeState, out: Turn, *, reshow: bool = False) -> None:
        """Show the question of the current phase."""
        lang = state.language
        phase = state.phase
        if phase != "asking":
            out.ask()
        if phase in ("consent", "refused", "erased"):
            text = self.flow.consent.ask if phase != "refused" else self.flow.consent.refused
            if phase == "erased":
                text = self.flow.consent.ask
                state.phase = "consent"
            if phase == "consent" and not reshow:
                out.event("question_shown", "consent")
            out.say(text.get(lang), self._consent_buttons(lang))
            if phase != "refused":  # after a "no" nothing is asked; the buttons stay and a "ja" still starts
                out.expecting = Expecting(slot="consent", kind="consent", choices=self._consent_buttons(lang))
        elif phase == "asking":
            if state.asking and self.flow.has_slot(state.asking):
                self._show_question(state, self.flow.slot(state.asking), out, ask=True, event=not reshow)
            else:
                self._advance(state, out)
        elif phase == "edit_choice":
            self._show_edit_choice(state, out)
        elif phase == "summary":
            self._show_summary(state, out)
        elif phase == "done":
            buttons = [
                QuickReply(value=render.EDIT_ANY, label=self.flow.label("edit_any", lang)),
                QuickReply(value=render.HANDOFF, label=self.flow.label("handoff", lang)),
                QuickReply(value=render.RESTART, label=self.flow.label("restart", lang)),
            ]
            out.say(self.flow.text("after_done", lang), buttons)
            out.done = True
        elif phase == "restart_confirm":
            out.say(self.flow.text("restart_confirm", lang), self._yes_no_buttons(lang))
            out.expecting = Expecting(slot="restart", kind="yes_no", choices=self._yes_no_buttons(lang))
        elif phase == "handoff_contact":
            out.say(self.flow.text("handoff_ask_contact", lang), self._cancel_button(lang))
            out.expecting = Expecting(slot="contact", kind="text")
        elif phase == "handoff_preferred":
            choices = [
                QuickReply(value=self.flow.label(key, lang), label=self.flow.label(key, lang))
                for key in ("prefer_phone", "prefer_email", "prefer_whatsapp")
            ]
            out.say(self.flow.text("handoff_ask_preferred", lang), choices)
            out.expecting = Expecting(slot="contact_preferred", kind="text", choices=choices)
        elif phase == "handoff_continue":
            out.say(self.flow.text("continue_question", lang), self._yes_no_buttons(lang))
            out.expecting = Expecting(slot="continue", kind="yes_no", choices=self._yes_no_buttons(lang))
        elif phase == "paused":
            out.say(self.flow.text("paused", lang))
        elif phase == "stopped":
            out.say(self.flow.text("stopped_prompt", lang), self._stopped_buttons(lang))
            out.expecting = Expecting(slot="resume", kind="yes_no", choices=self._yes_no_buttons(lang))

    def _show_question(
        self,
        state: IntakeState,
        spec: SlotSpec,
        out: Turn,
        *,
        ask: bool = True,
        reask: bool = False,
        event: bool = True,
    ) -> None:
        lang = state.language
        choices = render.slot_choices(self.flow, self.vocab, spec, lang)
        # Shown again right after itself (a miss, or an answer to another question): every valid answer
        # as a button, so the next message can always settle it (bot.guard allows no third showing).
        again = shown_again(state, spec.slot) and (ask or reask)
        replies = self._question_buttons(state, spec, choices, again)
        if reask:
            text = spec.reask.get(lang)
            if again and spec.kind not in CHOICE_KINDS | {"yes_no"}:
                text = f"{text} {self.flow.text('buttons_hint', lang)}"
        else:
            text = spec.ask.get(lang)
            if ask and event:
                out.event("question_shown", spec.slot)
        if ask or reask:
            out.ask()
            out.say(text, replies)
            if not out.progress:  # a question shown again after a side trip the person chose is no new ask
                state.shown[spec.slot] = state.shown.get(spec.slot, 0) + 1
        else:
            out.progress = True  # a multi-choice pick: the same question goes on, with one more answer
            out.messages[-1].quick_replies = replies
        out.expecting = Expecting(slot=spec.slot, kind=spec.kind, choices=choices)

    def _question_buttons(
        self, state: IntakeState, spec: SlotSpec, choices: list[QuickReply], again: bool
    ) -> list[QuickReply]:
        lang = state.language
        dont_know = QuickReply(value=render.DONT_KNOW, label=self.flow.label("dont_know", lang))
        needs_dont_know = not any(c.value == render.DONT_KNOW for c in choices)
        if spec.kind == "multi_choice":
            picked = set(state.pending_multi)
            rest = [c for c in choices if c.value not in picked]
            closing = (
                QuickReply(value=render.MULTI_DONE, label=self.flow.label("multi_done", lang))
                if picked
                else QuickReply(value=render.MULTI_NONE, label=self.flow.label("none_of_these", lang))
            )
            replies = rest + [closing]
        elif spec.kind in CHOICE_KINDS or spec.kind == "yes_no":
            replies = list(choices) + ([dont_know] if needs_dont_know else [])
        elif again:
            replies = [QuickReply(value=str(s), label=str(s)) for s in spec.suggestions] + [dont_know]
        else:
            return []
        if again:
            if spec.kind != "multi_choice":
                replies.append(QuickReply(value=render.SKIP, label=self.flow.label("skip", lang)))
            if spec.required:
                replies.append(QuickReply(value=render.HANDOFF, label=self.flow.label("handoff", lang)))
        return replies

    def _yes_no_buttons(self, language: str) -> list[QuickReply]:
        return [
            QuickReply(value=render.YES, label=self.flow.label("yes", language)),
            QuickReply(value=render.NO, label=self.flow.label("no", language)),
        ]

    def _cancel_button(self, language: str) -> list[QuickReply]:
        return [QuickReply(value=render.CANCEL, label=self.flow.label("cancel", language))]

    def _stopped_buttons(self, language: str) -> list[QuickReply]:
        return [
            QuickReply(value=render.RESUME, label=self.flow.label("resume", language)),
            QuickReply(value=render.ERASE, label=self.flow.label("erase", language)),
        ]

    # ----------------------------------------------------------------- small helpers

    def _store(self, state: IntakeState, slot: str, value: Any) -> None:
        state.answers[slot] = value
        state.dont_know = [s for s in state.dont_know if s != slot]
        state.skipped = [s for s in state.skipped if s != slot]
        state.misses.pop(slot, None)

    def _stale(self, state: IntakeState, changed: set[str]) -> list[str]:
        """Answers to forget after ``changed``: those that no longer apply, and those that depend on a
        change and must be asked again, unless that question was shown twice already (then the answer
        stays: people are not asked the same thing over and over because something else moved)."""
        stale = stale_after_change(self.flow, state, changed)
        return [
            slot for slot in stale
            if state.shown.get(slot, 0) < MAX_SHOWINGS or not applies(self.flow.slot(slot), state.answers)
        ]

    def _forget(self, state: IntakeState, slots: list[str]) -> None:
        for slot in slots:
            state.answers.pop(slot, None)
            state.misses.pop(slot, None)
        state.dont_know = [s for s in state.dont_know if s not in slots]
        state.skipped = [s for s in state.skipped if s not in slots]

    def _flow_order(self, values: dict[str, Any]) -> list[str]:
        return [s.slot for s in self.flow.slots if s.slot in values]

    def _validated(self, values: dict[str, Any]) -> dict[str, Any]:
        """Keep values of slots the flow asks, checked like a typed answer (the extractor may be lenient)."""
        checked: dict[str, Any] = {}
        for slot, value in values.items():
            if slot in NOT_EXTRACTED or slot not in SLOTS or not self.flow.has_slot(slot) or value is None:
                continue
            try:
                checked[slot] = validate_slot(slot, value)
            except ValueError:
                continue
        return checked

    def _is_choice_value(self, spec: SlotSpec, value: str) -> bool:
        if spec.kind not in CHOICE_KINDS:
            return False
        return any(c.value == value for c in render.slot_choices(self.flow, self.vocab, spec, "nl"))

    def _button_value(self, state: IntakeState, spec: SlotSpec, text: str) -> Any:
        """The validated value when ``text`` is (the value or label of) an answer button of this question."""
        choices = render.slot_choices(self.flow, self.vocab, spec, state.language)
        candidates = [c.value for c in choices] + [str(s) for s in spec.suggestions]
        value = text if text in candidates else self._value_by_label(state, text)
        if value is None or value not in candidates:
            return None
        if spec.kind == "yes_no":
            return value == render.YES
        try:
            return validate_slot(spec.slot, [value] if spec.kind == "multi_choice" else value)
        except ValueError:
            return None

    def _value_by_label(self, state: IntakeState, text: str, *, edit: bool = False) -> str | None:
        """A typed button label ("Hbo-bachelor") stands for the button's value."""
        wanted = text.casefold().strip(" .!")
        if edit:
            for spec in self.flow.slots:
                if wanted == spec.slot or wanted in {label.casefold() for label in spec.label.all()}:
                    return spec.slot
            return None
        for lang in (state.language, *(lang for lang in LANGUAGES if lang != state.language)):
            for spec in self.flow.slots:
                if spec.slot != state.asking:
                    continue
                for choice in render.slot_choices(self.flow, self.vocab, spec, lang):
                    if choice.label.casefold() == wanted:
                        return choice.value
        return None

    def _free_text_fallback(self, spec: SlotSpec, text: str) -> Any:
        """A bare number for a number question, or a short answer to a free-text question, as it is."""
        if spec.kind == "number" and _PLAIN_NUMBER.match(text):
            try:
                value = validate_slot(spec.slot, float(text.replace(",", ".")))
            except ValueError:
                return None
            return int(value) if spec.integer and float(value).is_integer() else value
        if spec.kind != "text" or len(text) > MAX_FREE_TEXT or not re.search(r"[^\W\d_]", text):
            return None
        if self._word(text, "yes", "nl") or self._word(text, "no", "nl") or self._word(text, "yes", "en") \
                or self._word(text, "no", "en"):
            return None  # "ja" is no job, field of study or subject: ask again with an example
        try:
            return validate_slot(spec.slot, text)
        except ValueError:
            return None

    def _yes_no(self, text: str, language: str) -> bool | None:
        """An answer to the bot's own yes/no questions ("ja, klopt", "nee hoor", "yes that's right")."""
        if text in (render.YES, render.CONFIRM, render.RESUME):
            return True
        if text in (render.NO, render.BACK, render.CANCEL):
            return False
        reader = getattr(self.understanding, "yes_no", None)
        if reader is not None:
            answer = reader(text, language)
            if answer is not None:
                return bool(answer)
        if self._word(text, "yes", language):
            return True
        if self._word(text, "no", language):
            return False
        return None

    def _typed_label(self, state: IntakeState, text: str) -> str:
        """The label of one of the bot's own buttons typed as text ("laat maar", "Verder gaan") is that button."""
        wanted = text.casefold().strip(" .!")
        for value in state.offered:
            key = _OWN_BUTTON_LABELS.get(value)
            if key and wanted in {self.flow.label(key, lang).casefold() for lang in LANGUAGES}:
                return value
        return text

    def _dont_know_text(self, text: str) -> bool:
        """ "weet ik niet", "geen idee", "nvt" as the whole answer to one of the bot's own questions."""
        if text == render.DONT_KNOW:
            return True
        reader = getattr(self.understanding, "is_dont_know", None)
        return bool(reader(text)) if reader is not None else False

    def _word(self, text: str, key: str, language: str) -> bool:
        if key not in self.flow.words:
            return False
        wanted = " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split())
        return wanted in {w.casefold() for w in self.flow.words_for(key, language)}


def _clean(text: str) -> str:
    """Cap the length and drop control characters; the rest of the text is handled as typed."""
    text = _CONTROL.sub(" ", (text or "")[:MAX_INPUT])
    return text.strip()
