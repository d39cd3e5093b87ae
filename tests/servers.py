"""Real server processes for tests: uvicorn running loket on a free port, against the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``python -m uvicorn loket.asgi:app`` in a subprocess with LOKET_* settings from ``env``."""

    def __init__(self, database_url: str, data_dir: Path, **settings: str) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "LOKET_DATABASE_URL": database_url,
            "LOKET_DATA_DIR": str(data_dir),
            "LOKET_SECRET_KEY": "process-test-secret-key-0123456789-abcdef",
            "LOKET_SCHEDULER": "false",
            "LOKET_RATE_LIMIT_SESSION": "600/minute",
            "LOKET_RATE_LIMIT_IP": "60000/minute",
            "LOKET_RATE_LIMIT_START": "6000/minute",
            **{f"LOKET_{k.upper()}": v for k, v in settings.items()},
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "loket.asgi:app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """kill -9: no shutdown handlers, no flushing — as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
