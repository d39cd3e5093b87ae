"""The region and vocabulary files load, answer lookups, and a broken copy gives a precise error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from knowledge import KNOWLEDGE_DIR
from knowledge.errors import KnowledgeErrors
from knowledge.schema.region import load_region, normalise_name
from knowledge.schema.vocab import enum_slots, load_vocabularies


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copy(KNOWLEDGE_DIR / "region.yaml", tmp_path / "region.yaml")
    shutil.copytree(KNOWLEDGE_DIR / "vocabularies", tmp_path / "vocabularies")
    return tmp_path


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_region_loads_with_all_municipalities_and_many_names() -> None:
    region = load_region(KNOWLEDGE_DIR)
    in_region = {m.name for m in region.in_region_municipalities()}
    utrecht_province = {
        "Amersfoort",
        "Baarn",
        "De Bilt",
        "Bunnik",
        "Bunschoten",
        "Eemnes",
        "Houten",
        "IJsselstein",
        "Leusden",
        "Lopik",
        "Montfoort",
        "Nieuwegein",
        "Oudewater",
        "Renswoude",
        "Rhenen",
        "De Ronde Venen",
        "Soest",
        "Stichtse Vecht",
        "Utrecht",
        "Utrechtse Heuvelrug",
        "Veenendaal",
        "Vijfheerenlanden",
        "Wijk bij Duurstede",
        "Woerden",
        "Woudenberg",
        "Zeist",
    }
    assert utrecht_province <= in_region
    assert {
        "Hilversum",
        "Gooise Meren",
        "Huizen",
        "Blaricum",
        "Laren",
        "Wijdemeren",
        "Gouda",
        "Krimpenerwaard",
        "Bodegraven-Reeuwijk",
        "Zuidplas",
        "Waddinxveen",
        "Nijkerk",
    } <= in_region
    assert len(region.names()) >= 150
    assert region.sources


def test_region_lookups_ignore_case_accents_and_punctuation() -> None:
    region = load_region(KNOWLEDGE_DIR)
    assert region.municipality_of("VATHORST") == "Amersfoort"
    assert region.municipality_of("leidsche-rijn") == "Utrecht"
    assert region.municipality_of("Bunschoten-Spakenburg") == "Bunschoten"
    assert region.lookup("'s-Gravenhage").name == "Den Haag"
    assert region.lookup("Den Haag").in_region is False
    assert region.lookup("Driebergen").subregio == "heuvelrug-vallei"
    assert region.lookup("Nergenshuizen") is None
    assert normalise_name("Ĳsselstein") == normalise_name("IJsselstein")
    distance = region.distance_km("Utrecht", "Amersfoort")
    assert distance is not None and 15 < distance < 25


def test_vocabularies_give_complete_choices_for_every_enum_slot() -> None:
    vocab = load_vocabularies(KNOWLEDGE_DIR)
    for slot, enum in enum_slots().items():
        for language in ("nl", "en"):
            choices = vocab.choices(slot, language)
            assert [c["value"] for c in choices] == [m.value for m in enum], slot
            assert all(c["label"] for c in choices)
    assert vocab.choices("keep_income", "en") == [
        {"value": "ja", "label": "Yes"},
        {"value": "nee", "label": "No"},
    ]
    assert vocab.choices("age", "nl") == []
    assert vocab.label("education_level", "hbo_bachelor", "nl") == "Hbo-bachelor"


def test_education_fields_carry_the_onderwijs_of_zorg_flag() -> None:
    vocab = load_vocabularies(KNOWLEDGE_DIR)
    assert vocab.onderwijs_of_zorg("verpleegkunde") is True
    assert vocab.onderwijs_of_zorg("psychologie") is False
    assert vocab.onderwijs_of_zorg("onbekend vak") is None
    assert all(e.onderwijs_of_zorg is not None for e in vocab.get("education_field").entries)


def test_region_unknown_subregio_is_reported_with_entry_and_line(copy: Path) -> None:
    replace(
        copy / "region.yaml", "{name: Zeist, subregio: zuidoost-utrecht", "{name: Zeist, subregio: nergens"
    )
    with pytest.raises(KnowledgeErrors) as info:
        load_region(copy)
    (error,) = info.value.errors
    assert error.file.endswith("region.yaml")
    assert "Zeist" in error.entry and "unknown subregio 'nergens'" in error.reason
    assert (
        error.line is not None and "Zeist" in (copy / "region.yaml").read_text().splitlines()[error.line - 1]
    )


def test_region_place_with_unknown_municipality_and_bad_coordinates(copy: Path) -> None:
    replace(
        copy / "region.yaml",
        "{name: Vathorst, municipality: Amersfoort, lat: 52.193",
        "{name: Vathorst, municipality: Amersfort, lat: 12.193",
    )
    with pytest.raises(KnowledgeErrors) as info:
        load_region(copy)
    reasons = [e.reason for e in info.value.errors]
    assert any("unknown municipality 'Amersfort'" in r for r in reasons)
    assert any("outside the Netherlands" in r for r in reasons)


def test_region_same_name_for_two_municipalities_is_an_error(copy: Path) -> None:
    replace(
        copy / "region.yaml", "{name: Bilthoven, municipality: De Bilt", "{name: Zeist, municipality: De Bilt"
    )
    with pytest.raises(KnowledgeErrors, match="already refers to Zeist"):
        load_region(copy)


def test_region_yaml_syntax_error_has_a_line(copy: Path) -> None:
    replace(copy / "region.yaml", "  - {name: Baarn,", "  - {name: [Baarn,")
    with pytest.raises(KnowledgeErrors) as info:
        load_region(copy)
    assert info.value.errors[0].line is not None
    assert "invalid YAML" in info.value.errors[0].reason


def test_vocab_unknown_enum_value(copy: Path) -> None:
    replace(copy / "vocabularies" / "education_level.yaml", "  - value: havo\n", "  - value: havo_plus\n")
    with pytest.raises(KnowledgeErrors) as info:
        load_vocabularies(copy)
    messages = [str(e) for e in info.value.errors]
    assert any("education_level.yaml" in m and "unknown enum value 'havo_plus'" in m for m in messages)
    assert any("no entry for enum value 'havo'" in m for m in messages)


def test_vocab_duplicate_synonym_for_two_values(copy: Path) -> None:
    replace(
        copy / "vocabularies" / "goal_role.yaml",
        "synonyms: [schoolleider, directeur,",
        "synonyms: [schoolleider, juf, directeur,",
    )
    with pytest.raises(KnowledgeErrors) as info:
        load_vocabularies(copy)
    (error,) = info.value.errors
    assert error.file.endswith("goal_role.yaml")
    assert error.entry == "entries[4] (schoolleider)"
    assert "synonym 'juf' is also a synonym of 'groepsleerkracht'" in error.reason
    assert error.line is not None


def test_vocab_bad_field_and_missing_required_file(copy: Path) -> None:
    replace(
        copy / "vocabularies" / "yes_no.yaml", "  - value: false\n", "  - value: false\n    colour: red\n"
    )
    (copy / "vocabularies" / "intents.yaml").unlink()
    with pytest.raises(KnowledgeErrors) as info:
        load_vocabularies(copy)
    messages = [str(e) for e in info.value.errors]
    assert any("yes_no.yaml" in m and "entries[1]" in m and "colour" in m for m in messages)
    assert any("intents.yaml" in m and "required vocabulary is missing" in m for m in messages)


def test_vocab_label_missing_on_enum_entry(copy: Path) -> None:
    path = copy / "vocabularies" / "vog_ok.yaml"
    text = path.read_text(encoding="utf-8")
    label = re.search(r"  - value: weet_niet\n(    label:\n(?:      .*\n)+)", text)
    assert label is not None
    path.write_text(text.replace(label.group(1), "", 1), encoding="utf-8")
    with pytest.raises(KnowledgeErrors, match=r"vog_ok.yaml.*weet_niet.*needs a label"):
        load_vocabularies(copy)
