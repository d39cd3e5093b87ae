"""What the running service holds once: settings, database, knowledge and the engines built from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from knowledge.loader import Knowledge
from loket.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    knowledge: Knowledge
    # Built lazily from the knowledge and cached (intake engine, lexicon, vacature index …).
    cache: dict[str, Any] = field(default_factory=dict)
