"""``loket bench dialogue``: replay the dialogue corpus through the public HTTP API and print its figures.

The service runs in-process (FastAPI's TestClient) on a fresh SQLite database in a temporary folder, so the
replay goes through the same routes, storage and checks as a real chat. The same corpus through the pure
engine is the baseline of the same run (``engine_*``): the two must agree, and the HTTP figure shows what the
service adds per turn.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from loket.dialogues import REPO_DIALOGUES, DialogueResult, EngineDriver, HttpDriver, load_corpus, replay, summarise


def bench_dialogue(
    knowledge: Any, *, corpus: Path | None = None, part: str | None = None, via: str = "http"
) -> dict[str, Any]:
    """Figures of the corpus (``part``: only that sub-folder, e.g. ``heldout``) and its worst dialogues."""
    from bot.engine import IntakeEngine
    from bot.lexicon import Lexicon

    dialogues = load_corpus(corpus or REPO_DIALOGUES, part=part)
    engine = IntakeEngine(knowledge.intake_flow, Lexicon.build(knowledge.vocabularies, knowledge.region),
                          knowledge.vocabularies)
    started = time.perf_counter()
    engine_results = [replay(EngineDriver(engine, knowledge), d) for d in dialogues]
    engine_ms = (time.perf_counter() - started) * 1000
    out: dict[str, Any] = {"via": via, "corpus": str(corpus or REPO_DIALOGUES), "part": part or "all"}
    results: list[DialogueResult] = engine_results
    if via == "http":
        results, http_ms = _over_http(knowledge, dialogues)
        out["http_ms_per_turn"] = round(http_ms / max(1, sum(r.turns for r in results)), 3)
        out["engine_agrees"] = [r.slots_right for r in results] == [r.slots_right for r in engine_results]
    out.update(summarise(results))
    out["engine_ms_per_turn"] = round(engine_ms / max(1, sum(r.turns for r in engine_results)), 3)
    out["failures"] = [
        {"id": r.id, "problems": r.failures + r.wrong_slots}
        for r in results
        if r.failures or r.wrong_slots
    ]
    return out


def _over_http(knowledge: Any, dialogues: list[dict[str, Any]]) -> tuple[list[DialogueResult], float]:
    from fastapi.testclient import TestClient

    from loket.app import create_app
    from loket.db import make_engine
    from loket.migrate import upgrade
    from loket.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="loket-dialogue-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        url = f"sqlite:///{data_dir / 'dialogue.sqlite3'}"
        db = make_engine(url)
        upgrade(db)
        db.dispose()
        settings = load_settings(
            env="test", data_dir=data_dir, database_url=url, scheduler=False,
            rate_limit_session="100000/minute", rate_limit_ip="100000/minute", rate_limit_start="100000/minute",
            rate_limit_resume="100000/minute", secret_key="dialogue-bench-secret-key-0123456789-abcdef",
        )
        with TestClient(create_app(settings, knowledge=knowledge)) as client:
            started = time.perf_counter()
            results = [replay(HttpDriver(client), d) for d in dialogues]
            return results, (time.perf_counter() - started) * 1000
