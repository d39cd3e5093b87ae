"""Which texts lack a translation: every text of every knowledge file, per language.

A text is any mapping with ``nl`` and ``en`` strings, wherever it sits in a YAML file (questions, buttons,
route reasons, conditions, next steps, labels, the service's, Telegram's and the widget's own words).
Each must also have a non-empty ``ar``, ``uk`` and ``tr``. The same walk finds them all, so a new text
in a new file is checked without code changes. Pure: reads the files it is given, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.schema.text import NEWCOMER_LANGUAGES


@dataclass(frozen=True)
class MissingTranslation:
    file: str  # relative to the knowledge folder
    entry: str  # path in the file, e.g. "slots/goal_role/ask"
    language: str
    dutch: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: no '{self.language}' text (nl: {self.dutch[:60]!r})"


def _key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for name in ("slot", "id", "value", "key", "name", "code"):
            if isinstance(item.get(name), (str, int, bool)):
                return f"{name}={item[name]}"
    return str(index)


def _texts(node: Any, path: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if isinstance(node.get("nl"), str) and isinstance(node.get("en"), str):
            yield "/".join(path), node
            return
        for key, value in node.items():
            yield from _texts(value, [*path, str(key)])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _texts(item, [*path, _key(item, index)])


def missing_translations(directory: Path, languages: tuple[str, ...] = NEWCOMER_LANGUAGES) -> list[MissingTranslation]:
    """Every text in ``directory``'s YAML files without a non-empty translation in one of ``languages``."""
    missing: list[MissingTranslation] = []
    for path in sorted(directory.rglob("*.yaml")):
        relative = path.relative_to(directory).as_posix()
        if relative.startswith("loopbaangesprek/"):
            continue  # the teachers' career-conversation chat is Dutch and English (not a newcomer flow)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry, text in _texts(data, []):
            for language in languages:
                if not str(text.get(language) or "").strip():
                    missing.append(MissingTranslation(relative, entry, language, str(text["nl"])))
    return missing


def texts_count(directory: Path) -> int:
    """How many texts the knowledge files hold (those the check above covers)."""
    return sum(
        1
        for path in directory.rglob("*.yaml")
        if not path.relative_to(directory).as_posix().startswith("loopbaangesprek/")
        for _ in _texts(yaml.safe_load(path.read_text(encoding="utf-8")), [])
    )
