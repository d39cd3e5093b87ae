"""The shape of an advice, as the public contract names it (``Advice`` in the API spec).

Fields named by the contract keep their names; extra fields are additive.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Fit = Literal["yes", "maybe", "no"]


class RouteAdvice(BaseModel):
    id: str
    title: str
    fit: Fit
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str]
    conditions: list[str] = []
    duration_months: tuple[int, int] | None = None
    income_while_learning: bool | None = None
    costs: str | None = None
    sources: list[str] = []
    # additive fields
    bevoegdheid: str | None = None
    unsure: list[str] = []  # facts behind this advice that the brief marks UNSURE
    institutions: list[str] = []  # where in the region this route is offered


class VacatureMatch(BaseModel):
    id: str
    title: str
    school: str
    place: str
    distance_km: float | None = None
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str]
    # additive fields
    missing: list[str] = []  # what the person lacks for this vacature (e.g. "pabo-bevoegdheid")
    zij_instroom_mogelijk: bool | None = None


class InvalwerkMatch(BaseModel):
    """Cover work in the regional invalpool that suits a person who is (or soon will be) bevoegd."""

    id: str
    title: str
    school: str | None = None
    place: str | None = None
    distance_km: float | None = None
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str]


class Advice(BaseModel):
    routes: list[RouteAdvice]
    vacatures: list[VacatureMatch] = []
    next_steps: list[str] = []
    # additive fields
    invalpool: list[InvalwerkMatch] = []
    missing_slots: list[str] = []  # slots whose answer would change the advice
    language: Literal["nl", "en", "ar", "uk", "tr"] = "nl"
