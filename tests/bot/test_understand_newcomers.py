"""Free-text understanding in Arabic, Ukrainian and Turkish: words with clitics and suffixes, Arabic
unit-first numbers, a full week, a school that was finished, "nothing", foreign teacher titles; and that
Dutch and English read as before."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from bot.lexicon import Lexicon, tokenize
from bot.understand import extract
from bot.understand.forms import arabic_forms, turkish_forms, word_forms
from knowledge import KNOWLEDGE_DIR
from knowledge.schema.region import load_region
from knowledge.schema.vocab import load_vocabularies


@cache
def lexicon() -> Lexicon:
    return Lexicon.build(load_vocabularies(KNOWLEDGE_DIR), load_region(KNOWLEDGE_DIR))


def values(text: str, expecting: str | None = None, language: str = "nl") -> dict[str, Any]:
    return extract(text, lexicon=lexicon(), expecting=expecting, language=language).values


# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expecting", "slot", "value"),
    [
        ("خمسة وثلاثين", "age", "age", 35),  # five and thirty
        ("خمسة و ثلاثين", "age", "age", 35),  # "و" on its own
        ("عمري تسعة وعشرين سنة", None, "age", 29),
        ("واحد وعشرين", "age", "age", 21),  # "واحد" (one) is no article here
        ("خمسة وعشرين كم", "max_travel_km", "max_travel_km", 25),
        ("خمسة وعشرين كم", None, "max_travel_km", 25),
        ("тридцять п'ять", "age", "age", 35),  # tens first, as in Dutch and English
        ("otuz beş", "age", "age", 35),
        ("vijfendertig", "age", "age", 35),
        ("thirty five", "age", "age", 35),
    ],
)
def test_compound_numbers(text: str, expecting: str | None, slot: str, value: float) -> None:
    assert values(text, expecting, "ar")[slot] == value


def test_arabic_unit_without_tens_stays_the_unit() -> None:
    assert values("خمسة", "days_per_week", "ar")["days_per_week"] == 5
    assert values("خمسة ايام", "days_per_week", "ar")["days_per_week"] == 5
    assert values("٤ أيام", "days_per_week", "ar")["days_per_week"] == 4


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("повний тиждень", "uk"),
        ("повний робочий тиждень", "uk"),
        ("на повну ставку", "uk"),
        ("tam zamanlı", "tr"),
        ("tam zamanli", "tr"),
        ("دوام كامل", "ar"),
        ("فل تايم", "ar"),
        ("the whole week", "en"),
        ("fulltime", "nl"),
    ],
)
def test_a_full_week_is_five_days(text: str, language: str) -> None:
    assert values(text, "days_per_week", language)["days_per_week"] == 5


# ------------------------------------------------------------------- a school that was finished, nothing


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ولا شي، هلق خلصت المدرسة", "ar"),
        ("ніде, тільки закінчила школу", "uk"),
        ("hiçbir şey, okulu yeni bitirdim", "tr"),
        ("hicbir yerde", "tr"),
        ("niks, net klaar met school", "nl"),
        ("nothing yet, just finished school", "en"),
    ],
)
def test_nothing_and_a_finished_school_is_no_work(text: str, language: str) -> None:
    found = values(text, "current_role", language)
    assert found["current_role"] == "geen werk"
    assert found.get("works_in_education") is False


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("هلق خلصت المدرسة", "ar"),
        ("тільки закінчила школу", "uk"),
        ("okulu yeni bitirdim", "tr"),
        ("net klaar met school", "nl"),
        ("just finished school", "en"),
    ],
)
def test_a_finished_school_is_not_a_workplace(text: str, language: str) -> None:
    found = values(text, "current_role", language)
    assert found.get("works_in_education") is not True
    assert "education_level" not in found  # "закінчила школу" in passing is no diploma answer


def test_finished_school_is_a_diploma_only_when_asked() -> None:
    assert values("закінчила школу", "education_level", "uk")["education_level"] == "havo"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ik werk op een school", "nl"),
        ("I work at a school", "en"),
        ("معلمة بمدرسة ابتدائية", "ar"),
        ("працюю вчителькою в школі", "uk"),
        ("bir ilkokulda öğretmenim", "tr"),
    ],
)
def test_a_school_where_one_works_still_counts(text: str, language: str) -> None:
    assert values(text, "current_role", language)["works_in_education"] is True


# ------------------------------------------------------------------------- jobs with clitics and suffixes


@pytest.mark.parametrize(
    ("text", "language", "role"),
    [
        ("بشتغل بمطعم شاورما", "ar", "horeca"),  # بـ + مطعم: in a restaurant
        ("مساعد بالمطبخ بمطعم", "ar", "horeca"),
        ("شغالة نظافة في مكاتب", "ar", "schoonmaak en facilitair"),
        ("بشتغل بالتنظيف", "ar", "schoonmaak en facilitair"),
        ("بشتغل بمستودع", "ar", "logistiek en transport"),
        ("مش بشتغل دلوقتي", "ar", "geen werk"),
        ("ربة بيت", "ar", "geen werk"),
        ("depoda çalışıyorum", "tr", "logistiek en transport"),  # depo + da: in the warehouse
        ("kargo şoförüyüm", "tr", "logistiek en transport"),  # şoför + ü + yüm: I am a driver
        ("bir sigorta şirketinde departman müdürü", "tr", "management en advies"),
        ("makine mühendisi", "tr", "techniek"),
        ("restoranda garsonum", "tr", "horeca"),
        ("muhasebeciyim", "tr", "kantoor en administratie"),
        ("fabrikada çalışıyorum", "tr", "techniek"),
        ("evdeyim", "tr", "geen werk"),
        ("працюю в ресторані", "uk", "horeca"),  # locative ending
        ("офіціанткою в кафе", "uk", "horeca"),  # instrumental ending
        ("працюю продавчинею", "uk", "commercie"),
        ("працюю на заводі", "uk", "techniek"),
    ],
)
def test_present_job_with_clitics_and_suffixes(text: str, language: str, role: str) -> None:
    assert values(text, "current_role", language)["current_role"] == role


def forms(text: str, language: str) -> list[str]:
    return word_forms(tokenize(text), text, lexicon(), language)


def test_turkish_suffixes_only_in_turkish() -> None:
    # In a Turkish chat "kantoorda" is "kantoor" + "da" (in the office); in a Dutch chat an unknown word
    # without ş, ğ or ı is never cut into a Turkish stem.
    assert forms("kantoorda", "tr") == ["kantoor"]
    assert forms("kantoorda", "nl") == ["kantoorda"]
    # A Turkish letter tells the word is Turkish, whatever the chat language.
    assert values("kargo şoförüyüm", "current_role", "nl")["current_role"] == "logistiek en transport"


def test_short_turkish_stems_only_for_jobs_and_studies() -> None:
    assert forms("aşçıyım", "tr") == ["asci"]  # a job word of four letters (cook), "I am a cook"
    assert forms("adamı", "tr") == ["adami"]  # not "adam", which is A'dam
    assert forms("süresi", "tr") == ["suresi"]  # not "sure" (yes)
    assert forms("bende", "tr") == ["bende"]  # "ben" is too short to be a stem


@pytest.mark.parametrize(
    "text",
    [
        "ik werkte vroeger in de winkel en daarna als leraar",
        "I studied mathematics and worked as an engineer",
        "ik ben 35 en woon in Amersfoort",
    ],
)
def test_dutch_and_english_words_are_read_as_typed(text: str) -> None:
    tokens = tokenize(text)
    for language in ("nl", "en", "tr"):
        assert word_forms(tokens, text, lexicon(), language) == [t.text for t in tokens]


def test_word_forms() -> None:
    assert arabic_forms("وبالمدرسه")[:3] == ["بالمدرسه", "المدرسه", "مدرسه"]
    assert "اولاد" in arabic_forms("للاولاد")
    assert arabic_forms("بما") == []  # too short to be a word of its own
    assert "sofor" in turkish_forms("soforuyum")
    assert "ogretmenlik" in turkish_forms("ogretmenligi")  # ğ softened back to k
    assert all(len(stem) >= 4 for stem in turkish_forms("bende"))  # never "ben"


# ----------------------------------------------------------------------------- wishes and qualifications


@pytest.mark.parametrize(
    ("text", "language", "subject"),
    [
        ("معلم انكليزي للاولاد بالbasisschool", "ar", "engels"),
        ("вчителька англійської для дітей", "uk", "engels"),
        ("ilkokulda ingilizce öğretmeni olmak istiyorum", "tr", "engels"),
        ("juf Engels", "nl", "engels"),
    ],
)
def test_subject_teacher_in_primary_school(text: str, language: str, subject: str) -> None:
    found = values(text, "goal_role", language)
    assert found["goal_role"] == "vakleerkracht"
    assert found["goal_subject"] == subject


@pytest.mark.parametrize(
    ("text", "expecting", "language"),
    [
        ("بدي صير groepsleerkracht، معلم صف بالابتدائي", "goal_role", "ar"),  # class teacher: a job title
        ("sinif ogretmenligi", "education_field", "tr"),  # the Turkish primary-teacher degree
        ("початкова освіта, вчитель початкових класів", "education_field", "uk"),
        ("okul öncesi öğretmenliği", "education_field", "tr"),
        ("вчитель фізкультури (gym)", "goal_role", "uk"),
    ],
)
def test_foreign_teacher_titles_are_no_dutch_bevoegdheid(text: str, expecting: str, language: str) -> None:
    found = values(text, expecting, language)
    assert "teaching_qualification" not in found
    assert "foreign_teaching_qualification" not in found or expecting != "goal_role"


def test_pabo_in_another_script_is_still_the_pabo() -> None:
    assert values("نعم، شهادة بابو", "teaching_qualification", "ar")["teaching_qualification"] == "pabo"
    assert values("пабо", "teaching_qualification", "uk")["teaching_qualification"] == "pabo"


def test_school_to_teach_at_is_no_diploma() -> None:
    found = values("مدرس كيمياء بالمدرسة الثانوية (middelbare school)", "goal_role", "ar")
    assert found["goal_role"] == "docent_vo"
    assert found["goal_subject"] == "scheikunde"
    assert "education_level" not in found


def test_special_education_as_a_wish_is_no_field_of_study() -> None:
    found = values("özel eğitim okulunda öğretmen", "goal_role", "tr")
    assert found["target_sector"] == "so"
    assert "education_field" not in found


def test_bachelor_of_education_in_arabic_is_teacher_training() -> None:
    found = values("بكالوريوس تربية جامعة عين شمس", "education_level", "ar")
    assert found["education_level"] == "wo_bachelor"
    assert found["education_field"] == "lerarenopleiding"


@pytest.mark.parametrize(("text", "language"), [("لا أعرف", "ar"), ("не знаю", "uk"), ("bilmiyorum", "tr")])
def test_i_dont_know_is_no_no(text: str, language: str) -> None:
    result = extract(text, lexicon=lexicon(), expecting="keep_income", language=language)
    assert "keep_income" not in result.values
    assert result.dont_know


def test_a_plain_no_is_still_no() -> None:
    assert values("لا", "keep_income", "ar")["keep_income"] is False
    assert values("ні", "keep_income", "uk")["keep_income"] is False
    assert values("nee, weet ik niet", "keep_income", "nl")["keep_income"] is False


@pytest.mark.parametrize(
    ("text", "language", "role"),
    [
        ("ik was leraar, nu ben ik werkloos", "nl", "geen werk"),
        ("I was a teacher, now unemployed", "en", "geen werk"),
        ("Türkiye'de öğretmendim, şimdi çalışmıyorum", "tr", "geen werk"),  # "-dim": I was
        ("bir inşaat firmasında muhasebeci", "tr", "kantoor en administratie"),  # the job comes last
        ("fabrikada muhasebeciyim", "tr", "kantoor en administratie"),
        ("aşçıyım ama öğretmen olmak istiyorum", "tr", "horeca"),  # the teacher is a wish
        ("كنت معلمة بسوريا، هلق ما بشتغل", "ar", "geen werk"),
    ],
)
def test_the_job_of_now_when_the_answer_names_more(text: str, language: str, role: str) -> None:
    assert values(text, "current_role", language)["current_role"] == role


def test_a_turkish_past_suffix_is_a_past_cue() -> None:
    from bot.understand.message import _Message

    msg = _Message("öğretmendim", lexicon(), None, language="tr")
    assert msg.has_cue("past")
    assert not _Message("öğretmenim", lexicon(), None, language="tr").has_cue("past")


def test_inflected_yes_word_is_no_yes() -> None:
    # "звичайна" (ordinary) is not "звичайно" (sure): a yes is read only as typed.
    assert forms("звичайна школа", "uk")[0] == "звичаина"


def test_arabic_and_written_onto_a_word_starts_a_clause() -> None:
    # "هلق بشتغل بمطعم وبدي ارجع للتدريس بمدرسة ابتدائية": the school belongs to the wish, not to the job.
    found = values("هلق بشتغل بمطعم وبدي ارجع للتدريس بمدرسة ابتدائية", None, "ar")
    assert found["current_role"] == "horeca"
    assert found["works_in_education"] is False
    assert found["target_sector"] == "po"


def test_days_inside_a_number_phrase() -> None:
    assert values("ساكن بأمرسفورت وبقدر اشتغل ثلاث ايام بالاسبوع", None, "ar")["days_per_week"] == 3
    assert "days_per_week" not in values("بشتغل يومين بالاسبوع كمحاسب", None, "ar")  # the present job


def test_turkish_verb_after_the_place() -> None:
    assert values("Utrecht'te oturuyorum", None, "tr")["place"] == "Utrecht"
    assert values("Zeist yakınında yaşıyorum", None, "tr")["place"] == "Zeist"
