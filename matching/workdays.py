"""Working days (Monday–Friday): the unit of every promise loket makes to a person. Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved ``days`` working days ahead, same time of day.

    A start in a weekend counts from the next Monday's same time. Public holidays are not known here.
    """
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def working_days_after(day: date, days: int) -> date:
    """The date ``days`` working days after ``day``."""
    return add_working_days(datetime(day.year, day.month, day.day), days).date()
