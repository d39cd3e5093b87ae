"""Real components the tests use, and what to do when one is missing.

Locally a missing component skips its tests with a clear reason; in CI (.ci/run sets
LOKET_REQUIRE_COMPONENTS=1) the same absence fails the run, so nothing is skipped unnoticed.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def missing(reason: str) -> None:
    """Skip (locally) or fail (in CI) because a component is not there."""
    if os.environ.get("LOKET_REQUIRE_COMPONENTS") == "1":
        pytest.fail(f"component missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The Debian Chromium binary, or skip/fail."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing("headless Chromium not installed (apt-get install -y chromium)")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")  # type: ignore[return-value]


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0
