"""Rate limits on the public endpoints, per session and per IP address (the `limits` library).

The counters live in the process's memory: with several processes each counts for itself, so the
effective limit is the setting times the number of processes. That is enough to slow down a flood.
"""

from __future__ import annotations

import time
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from starlette.requests import Request

from loket.errors import LoketError


class RateLimits:
    """One limiter per app; ``hit`` raises a friendly 429 when a key is over its limit."""

    def __init__(self) -> None:
        # A sliding-window counter is O(1) per hit (a moving window keeps every hit of the window).
        self._limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    def hit(self, rate: str, *keys: str) -> None:
        item = _parsed(rate)
        if not self._limiter.hit(item, *keys):
            reset = self._limiter.get_window_stats(item, *keys).reset_time
            error = LoketError(429, "rate_limited")
            error.headers = {"Retry-After": str(max(1, int(reset - time.time())))}
            raise error


@lru_cache(maxsize=32)
def _parsed(rate: str) -> RateLimitItem:
    return parse(rate)


def limiter_of(ctx: object) -> RateLimits:
    """The app's one limiter. Made once: each ``MemoryStorage`` starts its own expiry timer thread, so a
    limiter per request (``setdefault(..., RateLimits())`` builds its default every time) costs a thread."""
    cache = ctx.cache  # type: ignore[attr-defined]
    limiter = cache.get("rate_limits")
    if limiter is None:
        limiter = cache.setdefault("rate_limits", RateLimits())
    return limiter


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit_ip(request: Request, rate_name: str = "rate_limit_ip") -> None:
    """Count one request of this IP address against the setting ``rate_name``."""
    ctx = request.app.state.ctx
    limiter_of(ctx).hit(getattr(ctx.settings, rate_name), rate_name, client_ip(request))


def limit_session(request: Request, session_id: str) -> None:
    """Count one message of this session."""
    ctx = request.app.state.ctx
    limiter_of(ctx).hit(ctx.settings.rate_limit_session, "session", session_id[:64])
