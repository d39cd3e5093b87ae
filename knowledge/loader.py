"""Load and check the whole knowledge base at once, collecting every problem before failing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from knowledge import KNOWLEDGE_DIR
from knowledge.errors import KnowledgeError, KnowledgeErrors
from knowledge.schema.intake import IntakeFlow, check_flow_against, load_intake_flow
from knowledge.schema.region import Region, load_region
from knowledge.schema.routes import RouteBase, load_routes
from knowledge.schema.text import TEXT_FILES, Languages, LocalText, load_languages, load_text_file
from knowledge.schema.vocab import Vocabularies, load_vocabularies

T = TypeVar("T")


@dataclass(frozen=True)
class Knowledge:
    """Every knowledge file, checked and typed. Plain data for the pure packages."""

    directory: Path
    region: Region
    vocabularies: Vocabularies
    routes: RouteBase
    intake_flow: IntakeFlow
    languages: Languages | None = None
    texts: dict[str, dict[str, LocalText]] | None = None  # knowledge/texts/<name>.yaml by name

    def summary(self) -> dict[str, Any]:
        """Counts for ``loket check-knowledge`` and ``/readyz``."""
        return {
            "routes": len(self.routes.routes),
            "municipalities": len(self.region.municipalities),
            "places": len(self.region.places),
            "subregios": len(self.region.subregios),
            "intake_slots": len(self.intake_flow.slots),
        }


def _collect(errors: list[KnowledgeError], load: Callable[[Path], T], directory: Path) -> T | None:
    try:
        return load(directory)
    except KnowledgeErrors as exc:
        errors.extend(exc.errors)
    except KnowledgeError as exc:
        errors.append(exc)
    return None


def load_knowledge(directory: Path | None = None) -> Knowledge:
    """Read every knowledge file in ``directory``; raise KnowledgeErrors listing all problems found."""
    directory = Path(directory or KNOWLEDGE_DIR)
    errors: list[KnowledgeError] = []
    region = _collect(errors, load_region, directory)
    vocabularies = _collect(errors, load_vocabularies, directory)
    routes = _collect(errors, load_routes, directory)
    flow = _collect(errors, load_intake_flow, directory)
    languages = _collect(errors, load_languages, directory)
    texts = {name: _collect(errors, lambda d, n=name: load_text_file(d, n), directory) or {} for name in TEXT_FILES}
    if flow is not None and vocabularies is not None:
        errors.extend(check_flow_against(flow, vocabularies))
    if errors:
        raise KnowledgeErrors(errors)
    assert region and vocabularies and routes and flow  # for the type checker: no errors means all loaded
    return Knowledge(directory, region, vocabularies, routes, flow, languages, texts)
