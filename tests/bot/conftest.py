"""Fixtures for the intake engine: the real flow and vocabularies, and understanding doubles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.engine import IntakeEngine
from knowledge import KNOWLEDGE_DIR
from knowledge.schema.intake import IntakeFlow, load_intake_flow
from knowledge.schema.vocab import Vocabularies, load_vocabularies
from tests.components import missing


@dataclass
class FakeExtraction:
    values: dict[str, Any] = field(default_factory=dict)
    dont_know: bool = False
    evidence: dict[str, Any] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)


class ScriptedUnderstanding:
    """A test double: fixed answers for fixed sentences, nothing for anything else.

    It lets the engine's own behaviour be tested apart from the free-text understanding.
    """

    def __init__(self, script: dict[str, dict[str, Any]] | None = None) -> None:
        self.script = script or {}
        self.calls: list[tuple[str, str | None]] = []

    def extract(self, text: str, *, expecting: str | None, expecting_kind: str | None, language: str) -> Any:
        self.calls.append((text, expecting))
        entry = self.script.get(text, {})
        return FakeExtraction(values=dict(entry.get("values", {})), dont_know=entry.get("dont_know", False))

    def detect_intent(self, text: str) -> str | None:
        return self.script.get(text, {}).get("intent")

    def extract_edit_target(self, text: str) -> str | None:
        return self.script.get(text, {}).get("edit_target")


@pytest.fixture(scope="session")
def flow() -> IntakeFlow:
    return load_intake_flow(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def vocab() -> Vocabularies:
    return load_vocabularies(KNOWLEDGE_DIR)


@pytest.fixture
def make_engine(flow: IntakeFlow, vocab: Vocabularies):  # type: ignore[no-untyped-def]
    """Build an engine with a scripted understanding: ``make_engine({"text": {...}})``."""

    def build(script: dict[str, dict[str, Any]] | None = None) -> IntakeEngine:
        return IntakeEngine(flow, None, vocab, understanding=ScriptedUnderstanding(script))

    return build


@pytest.fixture(scope="session")
def real_engine(flow: IntakeFlow, vocab: Vocabularies) -> IntakeEngine:
    """The engine with the real free-text understanding (bot.understand + bot.lexicon)."""
    try:
        from bot.lexicon import Lexicon
        from knowledge.schema.region import load_region
    except ImportError as exc:
        missing(f"free-text understanding not available yet: {exc}")
    lexicon = Lexicon.build(vocab, load_region(KNOWLEDGE_DIR))
    return IntakeEngine(flow, lexicon, vocab)
