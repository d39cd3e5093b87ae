"""Texts shown to people, in every language of the loket, and the languages themselves.

Dutch (B1) and English are required for every text. Arabic, Ukrainian and Turkish (for newcomers) are
expected too; a missing one falls back to English and is reported by ``loket check-knowledge``
(see ``knowledge.translations``). ``knowledge/languages.yaml`` says which languages a native speaker
has reviewed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.errors import read_yaml, validate

Lang = Literal["nl", "en", "ar", "uk", "tr"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en", "ar", "uk", "tr")
REQUIRED_LANGUAGES: tuple[Lang, ...] = ("nl", "en")
NEWCOMER_LANGUAGES: tuple[Lang, ...] = ("ar", "uk", "tr")
LANGUAGES_FILE = "languages.yaml"


def language_or_default(language: str | None, default: Lang = "nl") -> Lang:
    """``language`` when it is one of the loket's languages, else ``default``."""
    return language if language in LANGUAGES else default  # type: ignore[return-value]


class LocalText(BaseModel):
    """One text shown to people, in the loket's languages (Dutch and English required)."""

    model_config = ConfigDict(extra="forbid")

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)
    ar: str | None = None
    uk: str | None = None
    tr: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _required_languages(cls, data: Any) -> Any:
        if isinstance(data, dict):
            missing = [lang for lang in REQUIRED_LANGUAGES if not str(data.get(lang) or "").strip()]
            if missing:
                raise ValueError(f"missing {' and '.join(missing)} text")
        return data

    def get(self, language: str) -> str:
        """The text in ``language``; English when a newcomer language lacks it, Dutch for unknown codes."""
        if language == "nl" or language not in LANGUAGES:
            return self.nl
        value = getattr(self, language)
        return value if value and value.strip() else self.en

    def all(self) -> list[str]:
        """Every language's text (for reading a typed button label in any language)."""
        return [t for t in (self.nl, self.en, self.ar, self.uk, self.tr) if t]


class FrozenText(LocalText):
    """A LocalText that can be a dict key or part of a frozen model (vocabulary labels)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Lang
    name: str = Field(min_length=1)  # in the language itself: "العربية", "Українська"
    name_nl: str = Field(min_length=1)  # for staff: "Arabisch"
    direction: Literal["ltr", "rtl"] = "ltr"
    reviewed: bool = False  # a native speaker checked every text
    reviewed_by: str | None = None
    note: str | None = None


class Languages(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: list[LanguageInfo]

    def get(self, code: str) -> LanguageInfo | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def not_reviewed(self) -> list[LanguageInfo]:
        return [lang for lang in self.languages if not lang.reviewed]

    @model_validator(mode="after")
    def _all_languages(self) -> Languages:
        codes = [lang.code for lang in self.languages]
        if sorted(codes) != sorted(LANGUAGES):
            raise ValueError(f"languages must be exactly {', '.join(LANGUAGES)} (found {', '.join(codes)})")
        return self


def load_languages(directory: Path) -> Languages:
    path = directory / LANGUAGES_FILE
    return validate(Languages, read_yaml(path), file=path)


TEXT_FILES: tuple[str, ...] = ("service", "telegram", "widget", "matching")  # knowledge/texts/<name>.yaml


class TextFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texts: dict[str, LocalText]


def load_text_file(directory: Path, name: str) -> dict[str, LocalText]:
    """The texts of ``knowledge/texts/<name>.yaml`` (the service's, Telegram's, the widget's own words)."""
    path = directory / "texts" / f"{name}.yaml"
    return validate(TextFile, read_yaml(path), file=path).texts
