"""Every text of the knowledge base in every language: check-knowledge finds a missing translation,
names it, and fails; a missing newcomer text falls back to English in the chat."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge import KNOWLEDGE_DIR
from knowledge.schema.text import LANGUAGES, LocalText
from knowledge.translations import missing_translations
from loket.cli import app


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__", "schema"))
    return target


def test_the_knowledge_base_has_every_translation() -> None:
    assert missing_translations(KNOWLEDGE_DIR) == []


def test_check_knowledge_fails_on_a_missing_translation_and_names_it(copy: Path) -> None:
    path = copy / "intake" / "texts.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("uk:") and "{items}" in ln)
    path.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")
    routes = copy / "routes" / "alo.yaml"
    lines = routes.read_text(encoding="utf-8").splitlines()
    first_tr = next(i for i, ln in enumerate(lines) if ln.strip().startswith("tr:"))
    lines[first_tr] = lines[first_tr].split("tr:")[0] + "tr: ''"  # an empty Turkish text
    routes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check-knowledge", "--dir", str(copy), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    missing = report["missing_translations"]
    assert any(m["file"] == "intake/texts.yaml" and m["language"] == "uk" for m in missing), missing
    assert any(m["file"] == "routes/alo.yaml" and m["language"] == "tr" for m in missing), missing
    assert report["translations"]["uk"]["missing"] >= 1 and report["translations"]["ar"]["missing"] == 0
    assert report["translations"]["ar"]["reviewed"] is False and report["translations"]["nl"]["reviewed"] is True


def test_check_knowledge_lists_the_languages_not_yet_reviewed() -> None:
    result = CliRunner().invoke(app, ["check-knowledge"])
    assert result.exit_code == 0, result.output
    assert "ar Arabisch" in result.output and "NOT YET REVIEWED" in result.output


def test_a_missing_newcomer_text_falls_back_to_english_and_an_unknown_code_to_dutch() -> None:
    text = LocalText(nl="Hallo", en="Hello", ar="مرحبا", uk="", tr=None)
    assert [text.get(lang) for lang in LANGUAGES] == ["Hallo", "Hello", "مرحبا", "Hello", "Hello"]
    assert text.get("de") == "Hallo"
    with pytest.raises(ValueError, match="missing en"):
        LocalText.model_validate({"nl": "Hallo", "ar": "مرحبا"})
