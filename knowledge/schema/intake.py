"""The intake flow as data: typed models of knowledge/intake/*.yaml and their loader.

``load_intake_flow`` is the only function here that touches files; it is called once at start-up.
Every problem is reported as a ``KnowledgeError`` naming the file, the entry and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.errors import KnowledgeError, KnowledgeErrors, read_yaml, validate
from knowledge.schema.text import LANGUAGES, Lang, LocalText
from matching.profile import SLOTS, validate_slot

__all__ = ["LANGUAGES", "Lang", "LocalText"]

Kind = Literal["choice", "multi_choice", "yes_no", "number", "text", "place"]
CHOICE_KINDS: frozenset[str] = frozenset({"choice", "multi_choice"})

FLOW_FILE = "intake/flow.yaml"
TEXTS_FILE = "intake/texts.yaml"

# Slots the person is never asked as a question: consent has its own step, language is the chat's language.
NOT_ASKABLE: frozenset[str] = frozenset({"consent", "language"})

REQUIRED_TEXTS: tuple[str, ...] = (
    "understood",
    "changed",
    "dont_know_ack",
    "skipped_ack",
    "buttons_hint",
    "multi_added",
    "old_button",
    "summary_intro",
    "summary_question",
    "summary_dont_know",
    "summary_skipped",
    "done",
    "after_done",
    "edit_choose",
    "edit_nothing",
    "edit_cancelled",
    "handoff_ask_contact",
    "handoff_reask_contact",
    "handoff_ask_preferred",
    "handoff_done",
    "handoff_need_consent",
    "handoff_cancelled",
    "continue_question",
    "paused",
    "welcome_back",
    "stopped",
    "stopped_prompt",
    "erased",
    "restart_confirm",
    "restart_done",
    "restart_cancelled",
    "language_switched",
    "help",
    "moved_on",
    "moved_on_required",
    "consent_moved_on",
    "refused_reminder",
    "summary_reask",
    "summary_moved_on",
    "summary_dont_know_ack",
    "handoff_moved_on",
    "inferred",
)
REQUIRED_LABELS: tuple[str, ...] = (
    "yes",
    "no",
    "dont_know",
    "skip",
    "multi_done",
    "none_of_these",
    "confirm",
    "edit",
    "edit_any",
    "back",
    "resume",
    "restart",
    "erase",
    "handoff",
    "cancel",
    "prefer_phone",
    "prefer_email",
    "prefer_whatsapp",
)
REQUIRED_WORDS: tuple[str, ...] = ("yes", "no")


class Condition(BaseModel):
    """An ``ask_if`` condition on earlier answers; exactly one shape per node."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    slot: str | None = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    is_: Any = Field(default=None, alias="is")
    known: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        combinators = [c for c in ("all", "any", "not_") if getattr(self, c) is not None]
        tests = [t for t in ("in_", "not_in", "known") if getattr(self, t) is not None]
        if "is_" in self.model_fields_set:
            tests.append("is_")
        if combinators:
            if len(combinators) > 1 or tests or self.slot is not None:
                raise ValueError("a condition combines with exactly one of all/any/not and nothing else")
            return self
        if self.slot is None or len(tests) != 1:
            raise ValueError("a condition needs 'slot' and exactly one of in/not_in/is/known")
        return self

    def slots(self) -> set[str]:
        """Every slot this condition reads."""
        found: set[str] = {self.slot} if self.slot else set()
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found |= child.slots()
        return found


class Inference(BaseModel):
    """A value the intake takes without asking when ``if_`` holds ("groepsleerkracht" works in the po)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    value: Any
    if_: Condition = Field(alias="if")


class SlotSpec(BaseModel):
    """One question of the intake."""

    model_config = ConfigDict(extra="forbid")

    slot: str
    kind: Kind
    ask: LocalText
    reask: LocalText
    label: LocalText
    confirm: LocalText | None = None  # how an understood value is echoed back; "{value}" by default
    choices: Literal["vocab"] | list[str] | None = None
    vocabulary: str | None = None  # vocabulary name when it differs from the slot name
    ask_if: Condition | None = None
    depends_on: list[str] = []
    suggestions: list[str | int | float] = []  # quick replies for non-choice kinds when asked again
    integer: bool = False
    # The advice cannot do without it: asked again, it also offers "talk to an adviser" (bot.guard).
    required: bool = False
    # Taken without asking when a condition holds; echoed back, so the person can still change it.
    infer: list[Inference] = []

    @property
    def vocabulary_name(self) -> str:
        return self.vocabulary or self.slot

    def dependencies(self) -> set[str]:
        """Slots whose answer this question depends on (explicit and through ``ask_if``)."""
        inferred = {slot for rule in self.infer for slot in rule.if_.slots()}
        return set(self.depends_on) | (self.ask_if.slots() if self.ask_if else set()) | inferred


class ConsentSpec(BaseModel):
    """The privacy step that comes before any question."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1)
    ask: LocalText
    reask: LocalText
    yes_label: LocalText
    no_label: LocalText
    given: LocalText
    refused: LocalText


class WordList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nl: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)
    ar: list[str] = []
    uk: list[str] = []
    tr: list[str] = []


class IntakeFlow(BaseModel):
    """The whole intake: consent, the questions in order, and the texts around them."""

    model_config = ConfigDict(extra="forbid")

    version: int
    consent: ConsentSpec
    slots: list[SlotSpec]
    texts: dict[str, LocalText]
    labels: dict[str, LocalText]
    words: dict[str, WordList]

    def slot(self, name: str) -> SlotSpec:
        """The question for slot ``name``; ``KeyError`` when the flow does not ask it."""
        for spec in self.slots:
            if spec.slot == name:
                return spec
        raise KeyError(name)

    def has_slot(self, name: str) -> bool:
        return any(spec.slot == name for spec in self.slots)

    def text(self, key: str, language: str, **values: Any) -> str:
        """A general text, with ``{placeholders}`` filled in."""
        return self.texts[key].get(language).format(**values)

    def label(self, key: str, language: str, **values: Any) -> str:
        """A button label, with ``{placeholders}`` filled in."""
        return self.labels[key].get(language).format(**values)

    def words_for(self, key: str, language: str) -> list[str]:
        """Accepted words for an answer to the bot's own questions, in every language, the chat's first."""
        lists = self.words[key]
        # People mix languages ("ok", "yes", "ja" in an Arabic chat): accept all, the chat language first.
        order = [language] + [lang for lang in LANGUAGES if lang != language]
        return [word for lang in order if lang in LANGUAGES for word in getattr(lists, lang)]

    def dependants(self, slot: str) -> list[str]:
        """Slots that depend on ``slot`` directly or through others, in flow order."""
        found: set[str] = set()
        frontier = {slot}
        while frontier:
            nxt = {s.slot for s in self.slots if s.dependencies() & frontier and s.slot not in found}
            found |= nxt
            frontier = nxt
        found.discard(slot)
        return [s.slot for s in self.slots if s.slot in found]


class ChoiceSource(Protocol):
    """What ``check_flow_against`` needs from the vocabularies."""

    def choices(self, slot: str, language: str) -> list[dict[str, str]]: ...


def load_intake_flow(knowledge_dir: Path) -> IntakeFlow:
    """Read and check knowledge_dir/intake/flow.yaml and texts.yaml; raise ``KnowledgeErrors`` on problems."""
    flow_path = Path(knowledge_dir) / FLOW_FILE
    texts_path = Path(knowledge_dir) / TEXTS_FILE
    errors: list[KnowledgeError] = []
    flow_data = _read(flow_path, errors)
    texts_data = _read(texts_path, errors)
    if errors:
        raise KnowledgeErrors(errors)

    lines = _slot_lines(flow_path)
    consent = _checked(ConsentSpec, flow_data.get("consent"), flow_path, "consent", errors)
    slots: list[SlotSpec] = []
    raw_slots = flow_data.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        errors.append(KnowledgeError(flow_path, "slots", "must be a non-empty list of questions"))
        raw_slots = []
    for index, raw in enumerate(raw_slots):
        name = raw.get("slot") if isinstance(raw, dict) else None
        entry = f"slots[{index}]" + (f" ({name})" if name else "")
        line = lines[index] if index < len(lines) else None
        spec = _checked(SlotSpec, raw, flow_path, entry, errors, line=line)
        if spec is not None:
            slots.append(spec)

    texts = _checked_texts(texts_data, "texts", REQUIRED_TEXTS, texts_path, errors)
    labels = _checked_texts(texts_data, "labels", REQUIRED_LABELS, texts_path, errors)
    words: dict[str, WordList] = {}
    for key in REQUIRED_WORDS:
        raw_words = (texts_data.get("words") or {}).get(key)
        word_list = _checked(WordList, raw_words, texts_path, f"words.{key}", errors)
        if word_list is not None:
            words[key] = word_list

    errors.extend(_check_slots(slots, flow_path, lines))
    if errors or consent is None:
        raise KnowledgeErrors(errors)
    return IntakeFlow(
        version=int(flow_data.get("version") or 1),
        consent=consent,
        slots=slots,
        texts=texts,
        labels=labels,
        words=words,
    )


def check_flow_against(flow: IntakeFlow, vocab: ChoiceSource) -> list[KnowledgeError]:
    """Problems where the flow's choices name a vocabulary or a value the vocabularies do not have."""
    errors: list[KnowledgeError] = []
    for spec in flow.slots:
        if spec.choices is None:
            continue
        for language in LANGUAGES:
            try:
                known = [c["value"] for c in vocab.choices(spec.vocabulary_name, language)]
            except (KeyError, ValueError, LookupError):
                known = []
            if not known:
                reason = f"choices refer to unknown vocabulary {spec.vocabulary_name!r} ({language})"
                errors.append(KnowledgeError(FLOW_FILE, spec.slot, reason))
                break
            if isinstance(spec.choices, list):
                for value in spec.choices:
                    if value not in known:
                        errors.append(
                            KnowledgeError(
                                FLOW_FILE,
                                spec.slot,
                                f"choice {value!r} not in vocabulary {spec.vocabulary_name!r} ({language})",
                            )
                        )
    return errors


def _read(path: Path, errors: list[KnowledgeError]) -> dict[str, Any]:
    try:
        data = read_yaml(path)
    except KnowledgeError as exc:
        errors.append(exc)
        return {}
    if not isinstance(data, dict):
        errors.append(KnowledgeError(path, None, "must be a mapping at the top level"))
        return {}
    return data


def _checked(
    model: type[Any], data: Any, path: Path, entry: str, errors: list[KnowledgeError], line: int | None = None
) -> Any:
    try:
        return validate(model, data, file=path, entry=entry)
    except KnowledgeError as exc:
        exc.line = line
        errors.append(KnowledgeError(path, entry, exc.reason, line=line))
        return None


def _checked_texts(
    data: dict[str, Any], section: str, required: Iterable[str], path: Path, errors: list[KnowledgeError]
) -> dict[str, LocalText]:
    raw = data.get(section)
    if not isinstance(raw, dict):
        errors.append(KnowledgeError(path, section, "missing section"))
        return {}
    texts: dict[str, LocalText] = {}
    for key, value in raw.items():
        text = _checked(LocalText, value, path, f"{section}.{key}", errors)
        if text is not None:
            texts[str(key)] = text
    for key in required:
        if key not in raw:
            errors.append(KnowledgeError(path, f"{section}.{key}", "missing text (nl and en needed)"))
    return texts


def _check_slots(slots: list[SlotSpec], path: Path, lines: list[int]) -> list[KnowledgeError]:
    errors: list[KnowledgeError] = []
    order = {spec.slot: index for index, spec in enumerate(slots)}

    def err(index: int, spec: SlotSpec, reason: str) -> None:
        line = lines[index] if index < len(lines) else None
        errors.append(KnowledgeError(path, spec.slot, reason, line=line))

    seen: set[str] = set()
    for index, spec in enumerate(slots):
        if spec.slot not in SLOTS:
            err(index, spec, f"unknown slot {spec.slot!r} (not in the Profile of the contract)")
            continue
        if spec.slot in NOT_ASKABLE:
            err(index, spec, f"slot {spec.slot!r} is not asked as a question")
        if spec.slot in seen:
            err(index, spec, "slot asked twice")
        seen.add(spec.slot)
        if spec.kind in CHOICE_KINDS and spec.choices is None:
            err(index, spec, f"kind {spec.kind!r} needs 'choices'")
        if spec.kind not in CHOICE_KINDS and spec.choices is not None:
            err(index, spec, f"kind {spec.kind!r} takes no 'choices'")
        for value in spec.choices if isinstance(spec.choices, list) else []:
            try:
                validate_slot(spec.slot, [value] if spec.kind == "multi_choice" else value)
            except ValueError as exc:
                err(index, spec, f"choice {value!r} is not a valid value: {exc}")
        for rule in spec.infer:
            try:
                validate_slot(spec.slot, rule.value)
            except ValueError as exc:
                err(index, spec, f"infer value {rule.value!r} is not a valid value: {exc}")
        for ref in sorted(spec.dependencies()):
            if ref not in SLOTS:
                err(index, spec, f"ask_if/depends_on/infer refers to unknown slot {ref!r}")
            elif ref == spec.slot:
                err(index, spec, "depends on itself")
            elif ref not in order:
                err(index, spec, f"ask_if/depends_on refers to slot {ref!r} that the flow does not ask")
            elif order[ref] > index:
                err(index, spec, f"ask_if/depends_on refers to slot {ref!r} that is asked later")
    cycle = _find_cycle({spec.slot: spec.dependencies() for spec in slots})
    if cycle:
        errors.append(KnowledgeError(path, cycle[0], "dependency cycle: " + " -> ".join(cycle)))
    return errors


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A dependency cycle as a list of slots (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt in graph and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in graph:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def _slot_lines(path: Path) -> list[int]:
    """Line numbers (1-based) of each entry under ``slots:``, so errors can point into the file."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "slots" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []
