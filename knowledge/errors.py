"""Precise errors for knowledge files: which file, which entry, what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class KnowledgeError(Exception):
    """One problem in one knowledge file."""

    def __init__(self, file: str | Path, entry: str | None, reason: str, line: int | None = None):
        self.file = str(file)
        self.entry = entry
        self.reason = reason
        self.line = line
        where = self.file + (f":{line}" if line else "")
        super().__init__(f"{where}: {entry + ': ' if entry else ''}{reason}")


class KnowledgeErrors(Exception):
    """All problems found while loading the knowledge base."""

    def __init__(self, errors: list[KnowledgeError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error becomes a KnowledgeError with the line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(path, None, f"cannot read file ({exc})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(path, None, f"invalid YAML: {problem}", line=line) from None


def validate(model: type[M], data: Any, *, file: str | Path, entry: str | None = None) -> M:
    """Validate ``data`` as ``model``; the first failing field is named in the error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        field = f"field '{loc}': " if loc else ""
        raise KnowledgeError(file, entry, f"{field}{first['msg']}") from None
