"""The one clock the service reads. Tests swap in a FrozenClock to control time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware start")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when


_current: Clock = Clock()


def now() -> datetime:
    """The current time in UTC, from the installed clock."""
    return _current.now()


def install(clock: Clock) -> Clock:
    """Install ``clock`` as the process clock; return the previous one."""
    global _current
    previous, _current = _current, clock
    return previous
