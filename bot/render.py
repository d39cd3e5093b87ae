"""Turn answers and questions into texts and buttons, in the person's language. Pure functions."""

from __future__ import annotations

from typing import Any, Protocol

from bot.state import IntakeState, QuickReply
from knowledge.schema.intake import CHOICE_KINDS, IntakeFlow, SlotSpec

# Button values the engine itself understands; they never collide with slot values (which have no colon).
DONT_KNOW = "weet_niet"
SKIP = "action:skip"
CONFIRM = "action:confirm"
MULTI_DONE = "action:multi_done"
MULTI_NONE = "action:multi_none"
BACK = "action:back"
RESUME = "action:resume"
RESTART = "action:restart"
ERASE = "action:erase"
HANDOFF = "action:handoff"
EDIT_ANY = "action:edit"
CANCEL = "action:cancel"
YES = "ja"
NO = "nee"
EDIT_PREFIX = "edit:"


class Labels(Protocol):
    """What rendering needs from the vocabularies (``knowledge.schema.vocab.Vocabularies``)."""

    def choices(self, slot: str, language: str = "nl") -> list[dict[str, str]]: ...

    def label(self, slot: str, value: Any, language: str = "nl") -> str | None: ...


def slot_choices(flow: IntakeFlow, vocab: Labels, spec: SlotSpec, language: str) -> list[QuickReply]:
    """The answer options of a choice or yes/no question, with labels from the vocabularies."""
    if spec.kind == "yes_no":
        found = vocab.choices(spec.slot, language)
        if found:
            return [QuickReply(**c) for c in found]
        return [
            QuickReply(value=YES, label=flow.label("yes", language)),
            QuickReply(value=NO, label=flow.label("no", language)),
        ]
    if spec.kind not in CHOICE_KINDS:
        return []
    found = vocab.choices(spec.vocabulary_name, language)
    if isinstance(spec.choices, list):
        by_value = {c["value"]: c for c in found}
        return [QuickReply(value=v, label=by_value.get(v, {}).get("label", v)) for v in spec.choices]
    return [QuickReply(**c) for c in found]


def format_value(flow: IntakeFlow, vocab: Labels, spec: SlotSpec, value: Any, language: str) -> str:
    """One answer as people read it: a label for a code, "ja"/"nee" for a boolean, "2,5" for a number."""
    if isinstance(value, bool):
        return flow.label("yes" if value else "no", language).lower()
    if isinstance(value, list):
        if not value:
            return flow.label("none_of_these", language).lower()
        return ", ".join(_label_of(vocab, spec, item, language) for item in value)
    if isinstance(value, float | int):
        number = int(value) if float(value).is_integer() else value
        text = str(number)
        return text.replace(".", ",") if language == "nl" else text
    if spec.kind in CHOICE_KINDS:
        return _label_of(vocab, spec, value, language)
    return str(value)


def _label_of(vocab: Labels, spec: SlotSpec, value: Any, language: str) -> str:
    label = vocab.label(spec.vocabulary_name, value, language)
    if label:
        # "Hbo-bachelor" reads better mid-sentence as "hbo-bachelor"; "B2" and "VO" keep their capitals.
        return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label
    return str(value)


def confirm_item(flow: IntakeFlow, vocab: Labels, spec: SlotSpec, value: Any, language: str) -> str:
    """How one understood answer is echoed back: "35 jaar", or "woonplaats: Amersfoort".

    Every item says what it is about: several facts from one sentence are echoed together, and a bare
    value ("ja, van buiten de EU") would not tell which question it answers.
    """
    shown = format_value(flow, vocab, spec, value, language)
    if spec.confirm is not None:
        return spec.confirm.get(language).format(value=shown)
    return f"{spec.label.get(language).lower()}: {shown}"


CONFIRM_SEPARATOR = "; "  # labels of values may contain commas ("ja, van buiten de EU")


def summary_lines(flow: IntakeFlow, vocab: Labels, state: IntakeState, applicable: list[str]) -> list[str]:
    """One line per answered or relevant question, in flow order."""
    lines: list[str] = []
    lang = state.language
    for spec in flow.slots:
        if spec.slot in state.answers:
            shown = format_value(flow, vocab, spec, state.answers[spec.slot], lang)
        elif spec.slot in state.dont_know:
            shown = flow.text("summary_dont_know", lang)
        elif spec.slot in state.skipped and spec.slot in applicable:
            shown = flow.text("summary_skipped", lang)
        else:
            continue
        lines.append(f"- {spec.label.get(lang)}: {shown}")
    return lines


def edit_buttons(flow: IntakeFlow, state: IntakeState) -> list[QuickReply]:
    """One "Wijzig: …" button per answer that can be changed."""
    return [
        QuickReply(
            value=EDIT_PREFIX + spec.slot,
            label=flow.label("edit", state.language, label=spec.label.get(state.language)),
        )
        for spec in flow.slots
        if state.is_settled(spec.slot)
    ]
