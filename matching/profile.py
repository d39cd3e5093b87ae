"""The intake profile: the public slot vocabulary of ../shared/spec/intake-and-advice-api.md.

Every slot is optional; unknown is ``None``. Values are validated here, once, so that a value
typed by a person, pressed as a button or extracted from a free sentence passes the same checks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class GoalRole(StrEnum):
    groepsleerkracht = "groepsleerkracht"
    vakleerkracht = "vakleerkracht"
    onderwijsassistent = "onderwijsassistent"
    leraarondersteuner = "leraarondersteuner"
    schoolleider = "schoolleider"
    docent_vo = "docent_vo"
    docent_mbo = "docent_mbo"
    weet_niet = "weet_niet"


class Sector(StrEnum):
    po = "po"
    so = "so"
    vo = "vo"
    mbo = "mbo"
    weet_niet = "weet_niet"


class EducationLevel(StrEnum):
    geen = "geen"
    vmbo = "vmbo"
    mbo2 = "mbo2"
    mbo3 = "mbo3"
    mbo4 = "mbo4"
    havo = "havo"
    vwo = "vwo"
    ad = "ad"
    hbo_propedeuse = "hbo_propedeuse"
    hbo_bachelor = "hbo_bachelor"
    wo_bachelor = "wo_bachelor"
    master = "master"
    phd = "phd"


class ExamSubject(StrEnum):
    aardrijkskunde = "aardrijkskunde"
    geschiedenis = "geschiedenis"
    natuurkunde = "natuurkunde"
    biologie = "biologie"
    nlt = "nlt"
    scheikunde = "scheikunde"
    wiskunde = "wiskunde"
    economie = "economie"


class ForeignDiploma(StrEnum):
    nee = "nee"
    eu = "eu"
    buiten_eu = "buiten_eu"


class DutchLevel(StrEnum):
    moedertaal = "moedertaal"
    c2 = "c2"
    c1 = "c1"
    b2 = "b2"
    b1 = "b1"
    a2 = "a2"
    a1 = "a1"


class TeachingQualification(StrEnum):
    geen = "geen"
    pabo = "pabo"
    vo_tweedegraads = "vo_tweedegraads"
    vo_eerstegraads = "vo_eerstegraads"
    pdg = "pdg"
    alo = "alo"


class VogStatus(StrEnum):
    ja = "ja"
    nee = "nee"
    weet_niet = "weet_niet"


class Language(StrEnum):
    nl = "nl"
    en = "en"
    ar = "ar"  # the newcomer languages (knowledge/languages.yaml)
    uk = "uk"
    tr = "tr"


# Ordered from low to high; used by rules such as "at least a bachelor".
EDUCATION_ORDER: tuple[EducationLevel, ...] = tuple(EducationLevel)

MAX_FREE_TEXT = 200  # free-text slots are short normalised phrases, never a whole message


class Profile(BaseModel):
    """What the intake knows about one person. Unknown is ``None``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=True)

    consent: bool | None = None
    language: Language | None = None
    goal_role: GoalRole | None = None
    goal_subject: str | None = Field(default=None, max_length=MAX_FREE_TEXT)
    target_sector: Sector | None = None
    education_level: EducationLevel | None = None
    education_field: str | None = Field(default=None, max_length=MAX_FREE_TEXT)
    exam_subjects: list[ExamSubject] | None = None
    foreign_diploma: ForeignDiploma | None = None
    foreign_teaching_qualification: bool | None = None
    dutch_level: DutchLevel | None = None
    teaching_qualification: TeachingQualification | None = None
    qualification_year: int | None = Field(default=None, ge=1940, le=2100)
    works_in_education: bool | None = None
    current_role: str | None = Field(default=None, max_length=MAX_FREE_TEXT)
    enrolled_teacher_education: bool | None = None
    keep_income: bool | None = None
    days_per_week: float | None = Field(default=None, ge=0, le=5)
    place: str | None = Field(default=None, max_length=MAX_FREE_TEXT)
    max_travel_km: float | None = Field(default=None, ge=0, le=500)
    age: int | None = Field(default=None, ge=14, le=100)
    vog_ok: VogStatus | None = None
    has_school_board_contact: bool | None = None

    @field_validator("goal_subject", "education_field", "current_role", "place")
    @classmethod
    def _strip_text(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None

    @field_validator("exam_subjects")
    @classmethod
    def _unique_subjects(cls, value: list[ExamSubject] | None) -> list[ExamSubject] | None:
        if value is None:
            return None
        return list(dict.fromkeys(value))


SLOTS: tuple[str, ...] = tuple(Profile.model_fields)


def validate_slot(slot: str, value: Any) -> Any:
    """Return ``value`` normalised for ``slot``; raise ``ValueError`` with a reason when it does not fit."""
    if slot not in Profile.model_fields:
        raise ValueError(f"unknown slot {slot!r}")
    try:
        checked = Profile.model_validate({slot: value})
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None
    return getattr(checked, slot)
