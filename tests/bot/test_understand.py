"""Free-text extraction: many facts in one sentence, typos, numbers in words, negation, context."""

from __future__ import annotations

from functools import cache

import pytest

from bot.lexicon import Lexicon
from bot.understand import extract
from knowledge import KNOWLEDGE_DIR
from knowledge.schema.region import load_region
from knowledge.schema.vocab import load_vocabularies


@cache
def lexicon() -> Lexicon:
    return Lexicon.build(load_vocabularies(KNOWLEDGE_DIR), load_region(KNOWLEDGE_DIR))


def values(text: str, expecting: str | None = None, kind: str | None = None) -> dict:
    return extract(text, lexicon=lexicon(), expecting=expecting, expecting_kind=kind).values


def test_several_facts_in_one_dutch_sentence() -> None:
    found = values("ik ben 35, heb een wo-master psychologie, woon in Amersfoort en wil 3 dagen werken")
    assert found == {
        "age": 35,
        "education_level": "master",
        "education_field": "psychologie",
        "place": "Amersfoort",
        "days_per_week": 3,
    }


def test_several_facts_in_one_english_sentence() -> None:
    found = values("I'm 42, I have a master's degree in economics and I live in Utrecht")
    assert found["age"] == 42
    assert found["education_level"] == "master"
    assert found["education_field"] == "economie"
    assert found["place"] == "Utrecht"


def test_evidence_points_at_the_original_text() -> None:
    result = extract("Ik woon in Leidsche Rijn en ben 29 jaar", lexicon=lexicon())
    assert result.values["place"] == "Utrecht"
    assert result.evidence["place"] == "Leidsche Rijn"
    assert result.values["age"] == 29


@pytest.mark.parametrize(
    ("text", "expecting", "slot", "value"),
    [
        ("wo-mster", "education_level", "education_level", "master"),
        ("hbo-bachelr", "education_level", "education_level", "hbo_bachelor"),
        ("Amersfort", "place", "place", "Amersfoort"),
        ("ik woon in Amersfort", None, "place", "Amersfoort"),
        ("Utrect", "place", "place", "Utrecht"),
        ("onderwijsasistente", "goal_role", "goal_role", "onderwijsassistent"),
        ("psychologi", "education_field", "education_field", "psychologie"),
    ],
)
def test_typos_are_matched_fuzzily(text: str, expecting: str | None, slot: str, value: str) -> None:
    assert values(text, expecting)[slot] == value


@pytest.mark.parametrize(
    ("text", "municipality"),
    [
        ("Vathorst", "Amersfoort"),
        ("De Meern", "Utrecht"),
        ("overvecht", "Utrecht"),
        ("Maarssen", "Stichtse Vecht"),
        ("Driebergen", "Utrechtse Heuvelrug"),
        ("Hoevelaken", "Nijkerk"),
        ("Spakenburg", "Bunschoten"),
        ("Bussum", "Gooise Meren"),
        ("Schoonhoven", "Krimpenerwaard"),
        ("IJsselstein", "IJsselstein"),
        ("Zeist", "Zeist"),
        ("Nieuwegein", "Nieuwegein"),
    ],
)
def test_place_is_normalised_to_the_municipality(text: str, municipality: str) -> None:
    assert values(text, "place", "place")["place"] == municipality


def test_place_outside_the_region_keeps_its_own_name() -> None:
    assert values("ik woon in Rotterdam")["place"] == "Rotterdam"
    assert values("I live in Enschede")["place"] == "Enschede"
    assert values("Enschede", "place", "place")["place"] == "Enschede"


def test_a_place_name_in_a_study_or_as_a_common_word_is_not_a_place() -> None:
    assert "place" not in values("ik heb een master aan de Universiteit Utrecht")
    assert "place" not in values("we hebben houten tafels in de klas")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("drie dagen", 3),
        ("2,5 dag", 2.5),
        ("2.5 days", 2.5),
        ("anderhalve dag", 1.5),
        ("tweeënhalve dag", 2.5),
        ("twee en een halve dag per week", 2.5),
        ("four days a week", 4),
        ("ik kan 4 dagdelen", 2),
        ("24 uur per week", 3),
        ("0,8 fte", 4),
        ("2 à 3 dagen", 2),
        ("een dag", 1),
    ],
)
def test_days_in_digits_and_words(text: str, days: float) -> None:
    assert values(text)["days_per_week"] == days


def test_bare_number_answers_the_expected_slot() -> None:
    assert values("3", "days_per_week", "number") == {"days_per_week": 3}
    assert values("35", "age", "number") == {"age": 35}
    assert values("drie", "days_per_week", "number") == {"days_per_week": 3}
    assert values("1998", "qualification_year", "number") == {"qualification_year": 1998}
    assert values("25", "max_travel_km", "number") == {"max_travel_km": 25}
    assert values("fulltime", "days_per_week", "number") == {"days_per_week": 5}


def test_bare_number_without_context_fills_nothing() -> None:
    assert values("3") == {}
    assert values("35") == {}


def test_other_facts_are_read_while_a_slot_is_expected() -> None:
    found = values("35, en ik woon in Zeist", "age", "number")
    assert found == {"age": 35, "place": "Zeist"}
    found = values("3 dagen, en ik heb een hbo-bachelor", "days_per_week", "number")
    assert found == {"days_per_week": 3, "education_level": "hbo_bachelor"}


def test_years_and_postcodes_are_not_ages() -> None:
    assert "age" not in values("ik woon op 3811 AB in Amersfoort")
    assert "age" not in values("ik ben in 1998 afgestudeerd")
    assert "age" not in values("ik werk al 12 jaar in de zorg")
    assert values("ik woon op 3811 AB in Amersfoort")["place"] == "Amersfoort"


def test_age_in_words_and_phrases() -> None:
    assert values("ik ben vijfendertig jaar")["age"] == 35
    assert values("I am thirty five years old")["age"] == 35
    assert values("ik ben een 42-jarige moeder")["age"] == 42


def test_out_of_range_values_are_rejected_with_a_reason() -> None:
    result = extract("ik ben 200 jaar oud", lexicon=lexicon())
    assert "age" not in result.values
    assert "less than or equal" in result.rejected["age"]
    result = extract("7", lexicon=lexicon(), expecting="days_per_week", expecting_kind="number")
    assert "days_per_week" in result.rejected


def test_year_of_the_teaching_diploma() -> None:
    found = values("ik heb de pabo in 2004 afgerond")
    assert found["teaching_qualification"] == "pabo"
    assert found["qualification_year"] == 2004


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("ja hoor", "keep_income", True),
        ("klopt", "works_in_education", True),
        ("zeker", "keep_income", True),
        ("yes", "has_school_board_contact", True),
        ("yep", "keep_income", True),
        ("nee joh", "keep_income", False),
        ("liever niet", "keep_income", False),
        ("nope", "works_in_education", False),
        ("niet echt", "has_school_board_contact", False),
        ("Nee, helaas niet", "works_in_education", False),
    ],
)
def test_yes_no_answers_the_expected_boolean(text: str, slot: str, value: bool) -> None:
    assert values(text, slot, "yes_no") == {slot: value}


def test_yes_no_never_fills_a_slot_that_was_not_asked() -> None:
    assert values("ja") == {}
    assert values("nee") == {}


def test_vog_yes_no_becomes_the_enum_value() -> None:
    assert values("ja", "vog_ok", "choice") == {"vog_ok": "ja"}
    assert values("nee", "vog_ok", "choice") == {"vog_ok": "nee"}
    assert values("ik heb geen strafblad")["vog_ok"] == "ja"


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("ik werk niet in het onderwijs", "works_in_education", False),
        ("ik werk op een basisschool", "works_in_education", True),
        ("I don't work in education", "works_in_education", False),
        ("ik heb geen inkomen nodig tijdens de studie", "keep_income", False),
        ("ik kan niet zonder salaris", "keep_income", True),
        ("ik moet wel blijven verdienen", "keep_income", True),
        ("I need to keep earning", "keep_income", True),
        ("ik heb nog geen contact met een schoolbestuur", "has_school_board_contact", False),
        ("ik heb al contact met een school in Houten", "has_school_board_contact", True),
        ("ik zit op de pabo", "enrolled_teacher_education", True),
        ("ik was leraar in mijn land", "foreign_teaching_qualification", True),
    ],
)
def test_boolean_facts_with_negation(text: str, slot: str, value: bool) -> None:
    assert values(text)[slot] is value


def test_negation_in_one_clause_does_not_leak_into_the_next() -> None:
    found = values("ik werk niet in het onderwijs maar ik moet wel een inkomen houden")
    assert found["works_in_education"] is False
    assert found["keep_income"] is True


def test_exam_subjects_as_a_list() -> None:
    assert values("aardrijkskunde en bio", "exam_subjects", "multi_choice") == {
        "exam_subjects": ["aardrijkskunde", "biologie"]
    }
    assert values("ak, gs en nask", "exam_subjects", "multi_choice")["exam_subjects"] == [
        "aardrijkskunde",
        "geschiedenis",
        "natuurkunde",
    ]
    assert values("geen van deze", "exam_subjects", "multi_choice") == {"exam_subjects": []}
    assert values("havo met geschiedenis en aardrijkskunde") == {
        "education_level": "havo",
        "exam_subjects": ["geschiedenis", "aardrijkskunde"],
    }


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("wo-master", "master"),
        ("universiteit", "wo_bachelor"),  # like "hbo": the bachelor, unless a master is named
        ("wo", "wo_bachelor"),
        ("bachelor", "hbo_bachelor"),  # the answer to the diploma question: most bachelors are hbo
        ("hbo", "hbo_bachelor"),
        ("mbo 4", "mbo4"),
        ("mbo niveau 4", "mbo4"),
        ("MBO-4", "mbo4"),
        ("havo", "havo"),
        ("vmbo-tl", "vmbo"),
        ("propedeuse", "hbo_propedeuse"),
        ("associate degree", "ad"),
        ("Ad", "ad"),
        ("PhD", "phd"),
        ("gepromoveerd", "phd"),
        ("geen diploma", "geen"),
        ("atheneum", "vwo"),
        ("wo bachelor", "wo_bachelor"),
        ("hbo_bachelor", "hbo_bachelor"),
    ],
)
def test_education_levels(text: str, level: str) -> None:
    assert values(text, "education_level", "choice")["education_level"] == level


def test_highest_completed_level_wins_and_plans_do_not_count() -> None:
    assert values("ik heb mbo 4 en daarna een hbo-bachelor gehaald")["education_level"] == "hbo_bachelor"
    assert "teaching_qualification" not in values("ik wil de pabo doen")
    assert "education_level" not in values("ik ben bezig met een master")
    assert (
        "teaching_qualification" not in values("ik heb geen pabo")
        or values("ik heb geen pabo")["teaching_qualification"] == "geen"
    )


def test_goal_role_needs_a_wish_and_current_role_a_present_job() -> None:
    found = values("ik ben onderwijsassistent en wil graag leerkracht worden")
    assert found["current_role"] == "onderwijsassistent"
    assert found["goal_role"] == "groepsleerkracht"
    assert values("ik wil juf worden op een basisschool")["target_sector"] == "po"
    # A job the vocabulary marks as outside education also answers works_in_education.
    assert values("ik werk als verpleegkundige") == {"current_role": "verpleegkundige", "works_in_education": False}
    assert "works_in_education" not in values("ik wil graag als onderwijsassistent werken")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("juf", "groepsleerkracht"),
        ("meester", "groepsleerkracht"),
        ("leerkracht", "groepsleerkracht"),
        ("leraar basisonderwijs", "groepsleerkracht"),
        ("oa", "onderwijsassistent"),
        ("onderwijsassistente", "onderwijsassistent"),
        ("klassenassistent", "onderwijsassistent"),
        ("directeur", "schoolleider"),
        ("leraar VO", "docent_vo"),
        ("gymleraar", "vakleerkracht"),
        ("teaching assistant", "onderwijsassistent"),
        ("docent mbo", "docent_mbo"),
    ],
)
def test_goal_role_synonyms_when_asked(text: str, role: str) -> None:
    assert values(text, "goal_role", "choice")["goal_role"] == role


def test_gym_teacher_gives_role_and_subject() -> None:
    found = values("ik wil gymleraar worden")
    assert found["goal_role"] == "vakleerkracht"
    assert found["goal_subject"] == "bewegingsonderwijs"


def test_sector_synonyms() -> None:
    assert values("basisschool", "target_sector", "choice")["target_sector"] == "po"
    assert values("speciaal onderwijs", "target_sector", "choice")["target_sector"] == "so"
    assert values("middelbare school", "target_sector", "choice")["target_sector"] == "vo"
    assert values("mbo", "target_sector", "choice")["target_sector"] == "mbo"


def test_dutch_level_and_foreign_diploma() -> None:
    assert values("mijn Nederlands is B2")["dutch_level"] == "b2"
    assert values("native speaker", "dutch_level", "choice")["dutch_level"] == "moedertaal"
    assert values("ik heb mijn diploma in Syrië gehaald")["foreign_diploma"] == "buiten_eu"
    assert values("Spanje", "foreign_diploma", "choice")["foreign_diploma"] == "eu"
    assert "foreign_diploma" not in values("ik ga op vakantie naar Spanje")


def test_dont_know_for_the_expected_slot() -> None:
    for phrase in ("weet ik niet", "geen idee", "geen flauw idee", "no idea", "not sure", "weet niet"):
        result = extract(phrase, lexicon=lexicon(), expecting="age", expecting_kind="number")
        assert result.dont_know, phrase
        assert result.values == {}
    result = extract("geen idee", lexicon=lexicon(), expecting="vog_ok", expecting_kind="choice")
    assert result.dont_know and result.values == {"vog_ok": "weet_niet"}
    assert not extract("geen idee", lexicon=lexicon()).dont_know


def test_free_text_slot_gets_a_short_cleaned_phrase_when_unknown() -> None:
    assert values("Ik werk als productmanager bij een bank", "current_role", "text")[
        "current_role"
    ].startswith("productmanager")
    found = values("archeologie", "education_field", "text")
    assert found == {"education_field": "archeologie"}
    assert values("Psychologie aan de UvA", "education_field", "text") == {"education_field": "psychologie"}
