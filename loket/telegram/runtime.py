"""One python-telegram-bot application per process, on an event loop of its own.

PTB is asyncio; loket's service code is synchronous (web requests in a thread pool, the scheduler in its
own threads). A single loop thread lets every caller run Bot API calls with ``run`` and keeps PTB's HTTP
client on the loop it was made on.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram.ext import Application
from telegram.request import BaseRequest, HTTPXRequest

from bot.telegram import build_application
from loket.context import AppContext

T = TypeVar("T")
# Tests put a recording request here (``ctx.cache[REQUEST_KEY]``); otherwise PTB's HTTPX request is used.
REQUEST_KEY = "telegram_request"
_RUNTIME_KEY = "telegram_runtime"
_LOCK = threading.Lock()


class TelegramNotConfigured(Exception):
    """LOKET_TELEGRAM_TOKEN is not set."""


class TelegramRuntime:
    """A PTB application and the loop it lives on."""

    def __init__(self, token: str, request: BaseRequest, updates_request: BaseRequest) -> None:
        self.application: Application = build_application(token, request, updates_request=updates_request)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="loket-telegram", daemon=True)
        self._thread.start()
        self._initialised = False

    def run(self, make: Callable[[Application], Awaitable[T]], timeout: float = 60.0) -> T:
        """Run ``make(application)`` on the loop and return its result (or raise its error)."""

        async def call() -> T:
            if not self._initialised:
                await self.application.initialize()  # getMe, once per process
                self._initialised = True
            return await make(self.application)

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout)

    def close(self) -> None:
        """Shut the application down and stop the loop."""
        if self._initialised:
            with contextlib.suppress(Exception):  # closing is best effort
                asyncio.run_coroutine_threadsafe(self.application.shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


def runtime_of(ctx: AppContext) -> TelegramRuntime:
    """This process's runtime for ``ctx``; TelegramNotConfigured without a bot token."""
    runtime = ctx.cache.get(_RUNTIME_KEY)
    if runtime is not None:
        return runtime  # type: ignore[no-any-return]
    token = ctx.settings.telegram_token
    if token is None or not token.get_secret_value():
        raise TelegramNotConfigured("LOKET_TELEGRAM_TOKEN is not set")
    with _LOCK:
        runtime = ctx.cache.get(_RUNTIME_KEY)
        if runtime is None:
            request: Any = ctx.cache.get(REQUEST_KEY)
            updates_request: Any = request
            if request is None:
                request = HTTPXRequest(connection_pool_size=8)
                updates_request = HTTPXRequest(read_timeout=40)  # long polling waits up to 30 s
            runtime = TelegramRuntime(token.get_secret_value(), request, updates_request)
            ctx.cache[_RUNTIME_KEY] = runtime
    return runtime  # type: ignore[no-any-return]


def close_runtime(ctx: AppContext) -> None:
    """Stop this process's runtime, if one was started."""
    runtime = ctx.cache.pop(_RUNTIME_KEY, None)
    if runtime is not None:
        runtime.close()
