"""Working days: the unit of every promise loket makes to a person. Pure.

A working day is Monday to Friday and not a Dutch public holiday (from the kept ``holidays`` package:
New Year, Easter, King's Day, Ascension, Whit Monday, Christmas …, Liberation Day in its lustrum years).
Promises that depend on schools being open also skip the school holidays of region Midden
(``knowledge/schoolvakanties.yaml``), which the caller passes as ``closed``.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays as _holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(_holidays.Netherlands(years=year))


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def is_working_day(day: date, closed: Container[date] = ()) -> bool:
    """Monday–Friday, not a Dutch public holiday, and not in ``closed`` (e.g. school holidays)."""
    return day.weekday() < 5 and not is_public_holiday(day) and day not in closed


def add_working_days(start: datetime, days: int, *, closed: Container[date] = ()) -> datetime:
    """``start`` moved ``days`` working days ahead, same time of day.

    A start on a day off counts from the next working day's same time.
    """
    current = start
    while not is_working_day(current.date(), closed):
        current += timedelta(days=1)
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current.date(), closed):
            days -= 1
    return current


def working_days_after(day: date, days: int, *, closed: Container[date] = ()) -> date:
    """The date ``days`` working days after ``day``."""
    return add_working_days(datetime(day.year, day.month, day.day), days, closed=closed).date()


def days_in(periods: list[tuple[date, date]]) -> frozenset[date]:
    """Every day of the (first, last) periods, e.g. the school holidays, for ``closed``."""
    out: set[date] = set()
    for first, last in periods:
        day = first
        while day <= last:
            out.add(day)
            day += timedelta(days=1)
    return frozenset(out)
