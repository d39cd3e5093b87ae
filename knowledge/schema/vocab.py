"""Vocabularies (``knowledge/vocabularies/*.yaml``): values, labels and the words people use for them.

One file is one vocabulary. A vocabulary bound to a Profile slot (``slot:``) holds that slot's values;
for an enum slot every value must be a contract value and every contract value must have an entry, so
the choice buttons are complete. ``load_vocabularies`` checks all files and reports every problem
with file, entry, line and reason.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict

from knowledge.errors import KnowledgeError, KnowledgeErrors, read_yaml, validate
from knowledge.schema.region import entry_lines, normalise_name
from knowledge.schema.text import FrozenText
from matching.profile import Profile, validate_slot

VOCAB_DIR = "vocabularies"

Kind = Literal[
    "enum", "free", "boolean", "dont_know", "number", "intent", "cue", "slot_phrase", "filler", "country"
]
INTENTS = ("stop", "erase", "handoff", "restart", "edit", "language_nl", "language_en", "language_ar",
           "language_uk", "language_tr", "help")
# Vocabularies other code relies on by name; a missing one is an error at start-up, not a crash later.
REQUIRED = (
    "yes_no", "dont_know", "numbers", "intents", "cues", "slot_phrases", "fillers", "boolean_facts", "countries",
)


Label = FrozenText  # a label shown to people (knowledge.schema.text)


class VocabEntry(BaseModel):
    """One value and the words for it. ``expected_only`` words count only when the bot asked for this slot."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: str | bool | int | float
    label: Label | None = None
    synonyms: list[str] = []
    expected_only: list[str] = []
    tag: str | None = None  # sub-kind, e.g. "unit"/"tens" for numbers
    prefix_ok: bool = False  # intents: the phrase may be followed by more text ("ik bedoelde hbo")
    onderwijs_of_zorg: bool | None = None  # education_field: a degree in onderwijs or zorg
    unsure: bool = False  # the fact behind this entry is not certain
    source: str | None = None
    # countries: EU/EEA/Switzerland (one recognition regime), the home country, adjective forms ("Pools")
    eu: bool | None = None
    home: bool = False
    adjectives: list[str] = []
    # current_role: whether this job is in education (None: it depends, e.g. student)
    in_education: bool | None = None


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    kind: Kind
    slot: str | None = None
    description: str | None = None
    sources: list[str] = []
    entries: list[VocabEntry]

    def entry(self, value: Any) -> VocabEntry | None:
        """Return the entry for ``value`` or ``None``."""
        return next((e for e in self.entries if e.value == value), None)


def _enum_of(slot: str) -> type[Enum] | None:
    """The Enum behind a Profile slot (``list[E] | None`` and ``E | None`` both give ``E``)."""
    annotation = Profile.model_fields[slot].annotation
    stack = [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, Enum):
            return tp
        if get_origin(tp) in (Union, UnionType, list):
            stack.extend(get_args(tp))
    return None


def _is_list_slot(slot: str) -> bool:
    stack = [Profile.model_fields[slot].annotation]
    while stack:
        tp = stack.pop()
        if get_origin(tp) is list:
            return True
        if get_origin(tp) in (Union, UnionType):
            stack.extend(get_args(tp))
    return False


def enum_slots() -> dict[str, type[Enum]]:
    """Return every Profile slot whose values are a fixed enum, with that enum."""
    out = {}
    for slot in Profile.model_fields:
        enum = _enum_of(slot)
        if enum is not None and slot != "language":
            out[slot] = enum
    return out


def boolean_slots() -> list[str]:
    """Return the Profile slots that hold ``True``/``False``."""
    return [s for s, f in Profile.model_fields.items() if f.annotation == (bool | None)]


class Vocabularies(BaseModel):
    """All vocabularies by name, with lookups the intake needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    by_name: dict[str, Vocabulary]

    def get(self, name: str) -> Vocabulary:
        """Return the vocabulary called ``name``; ``KeyError`` if there is none."""
        return self.by_name[name]

    def for_slot(self, slot: str) -> Vocabulary | None:
        """Return the vocabulary bound to Profile ``slot``, or ``None``."""
        return next((v for v in self.by_name.values() if v.slot == slot), None)

    def named(self, slot_or_name: str) -> Vocabulary | None:
        """Return the vocabulary bound to a slot, else the vocabulary with that name, else ``None``."""
        return self.for_slot(slot_or_name) or self.by_name.get(slot_or_name)

    def label(self, slot: str, value: Any, language: str = "nl") -> str | None:
        """Return the label of ``value`` of ``slot`` (or vocabulary name) in ``language``, or ``None``."""
        vocab = self.named(slot)
        entry = vocab.entry(value) if vocab else None
        if entry is None or entry.label is None:
            return None
        return entry.label.get(language)

    def choices(self, slot: str, language: str = "nl") -> list[dict[str, str]]:
        """Return the buttons for ``slot``: ``[{"value", "label"}]`` in file order.

        Enum slots give their contract values. Boolean slots give "ja"/"nee", which ``extract``
        understands in both languages. Other slots have no buttons (empty list).
        """
        if slot in boolean_slots() or slot == "consent":
            yes_no = self.get("yes_no")
            return [{"value": "ja" if e.value else "nee", "label": e.label.get(language)}
                    for e in yes_no.entries if e.label is not None]
        vocab = self.named(slot)
        if vocab is None or vocab.kind != "enum":
            return []
        out = []
        for e in vocab.entries:
            label = e.label.get(language) if e.label else str(e.value)
            out.append({"value": str(e.value), "label": label})
        return out

    def countries(self) -> Vocabulary:
        """Return the country vocabulary (names, adjectives, EU/EEA/CH membership)."""
        return self.get("countries")

    def onderwijs_of_zorg(self, field: str) -> bool | None:
        """Return whether normalised ``education_field`` is an onderwijs/zorg degree (``None``: unknown)."""
        vocab = self.for_slot("education_field")
        entry = vocab.entry(field) if vocab else None
        return entry.onderwijs_of_zorg if entry else None


def _check_vocabulary(vocab: Vocabulary, file: Path, lines: list[int]) -> list[KnowledgeError]:
    errors: list[KnowledgeError] = []

    def err(i: int | None, reason: str) -> None:
        entry = None
        if i is not None:
            entry = f"entries[{i}] ({vocab.entries[i].value})"
        line = lines[i] if i is not None and i < len(lines) else None
        errors.append(KnowledgeError(file, entry, reason, line=line))

    if vocab.name != file.stem:
        err(None, f"name '{vocab.name}' must equal the file name '{file.stem}'")
    if vocab.slot is not None and vocab.slot not in Profile.model_fields:
        err(None, f"unknown slot '{vocab.slot}'")
        return errors
    if vocab.kind in ("enum", "free") and vocab.slot is None:
        err(None, f"a vocabulary of kind '{vocab.kind}' needs a slot")
        return errors
    enum = _enum_of(vocab.slot) if vocab.slot else None
    if vocab.kind == "enum" and enum is None:
        err(None, f"slot '{vocab.slot}' is not an enum slot")
        return errors

    seen_values: set[Any] = set()
    owner: dict[str, Any] = {}
    for i, e in enumerate(vocab.entries):
        if e.value in seen_values:
            err(i, f"duplicate value '{e.value}'")
        seen_values.add(e.value)
        if vocab.kind in ("enum", "free"):
            probe = [e.value] if _is_list_slot(vocab.slot) else e.value
            try:
                validate_slot(vocab.slot, probe)
            except ValueError as exc:
                err(i, f"value '{e.value}' is not valid for slot '{vocab.slot}': {exc}")
            if enum is not None and e.value not in {m.value for m in enum}:
                err(i, f"unknown enum value '{e.value}' for slot '{vocab.slot}'")
        if vocab.kind == "enum" and e.label is None:
            err(i, "an enum entry needs a label {nl, en}")
        if vocab.kind == "boolean" and not isinstance(e.value, bool):
            err(i, "value must be true or false")
        if vocab.kind == "number" and (isinstance(e.value, bool) or not isinstance(e.value, int | float)):
            err(i, "value must be a number")
        if vocab.kind == "intent" and e.value not in INTENTS:
            err(i, f"unknown intent '{e.value}' (known: {', '.join(INTENTS)})")
        if vocab.kind == "slot_phrase" and e.value not in Profile.model_fields:
            err(i, f"unknown slot '{e.value}'")
        if vocab.kind == "country" and e.eu is None:
            err(i, "a country needs eu: true or false (EU, EEA or Switzerland)")
        if vocab.kind != "country" and (e.eu is not None or e.home or e.adjectives):
            err(i, "eu, home and adjectives are for countries only")
        for word in (*e.synonyms, *e.expected_only, *e.adjectives):
            key = normalise_name(word)
            if not key:
                err(i, f"synonym '{word}' is empty after normalising")
                continue
            # A cue word may carry several cues ("wil" is a wish and a not-yet-done diploma).
            if key in owner and owner[key] != e.value and vocab.kind != "cue":
                err(i, f"synonym '{word}' is also a synonym of '{owner[key]}'")
            owner.setdefault(key, e.value)
    if enum is not None and vocab.kind == "enum":
        for member in enum:
            if member.value not in seen_values:
                err(None, f"no entry for enum value '{member.value}' of slot '{vocab.slot}'")
    return errors


def load_vocabularies(knowledge_dir: Path) -> Vocabularies:
    """Read and check every ``vocabularies/*.yaml``; raise ``KnowledgeErrors`` (file, entry, reason)."""
    folder = Path(knowledge_dir) / VOCAB_DIR
    errors: list[KnowledgeError] = []
    by_name: dict[str, Vocabulary] = {}
    slot_owner: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_yaml(path)
            vocab = validate(Vocabulary, data, file=path)
        except KnowledgeError as exc:
            if exc.entry is None and isinstance(data := _safe(path), dict):
                exc = _locate(exc, data, path)
            errors.append(exc)
            continue
        lines = entry_lines(path.read_text(encoding="utf-8"), "entries")
        errors.extend(_check_vocabulary(vocab, path, lines))
        if vocab.slot is not None:
            if vocab.slot in slot_owner:
                errors.append(KnowledgeError(path, None, f"slot '{vocab.slot}' already has vocabulary "
                                             f"'{slot_owner[vocab.slot]}'"))
            slot_owner[vocab.slot] = vocab.name
        by_name[vocab.name] = vocab
    for name in REQUIRED:
        if name not in by_name:
            errors.append(KnowledgeError(folder / f"{name}.yaml", None, "required vocabulary is missing"))
    for slot in enum_slots():
        if slot not in slot_owner:
            errors.append(KnowledgeError(folder, None, f"no vocabulary for enum slot '{slot}'"))
    if errors:
        raise KnowledgeErrors(errors)
    return Vocabularies(by_name=by_name)


def _safe(path: Path) -> Any:
    try:
        return read_yaml(path)
    except KnowledgeError:
        return None


def _locate(exc: KnowledgeError, data: dict[str, Any], path: Path) -> KnowledgeError:
    """Name the failing entry and its line when a field error points into ``entries[i]``."""
    entries = data.get("entries")
    if not isinstance(entries, list):
        return exc
    for i, item in enumerate(entries):
        try:
            VocabEntry.model_validate(item)
        except ValueError:
            lines = entry_lines(path.read_text(encoding="utf-8"), "entries")
            value = item.get("value") if isinstance(item, dict) else None
            return KnowledgeError(path, f"entries[{i}] ({value})", exc.reason,
                                  line=lines[i] if i < len(lines) else None)
    return exc
