"""``loket bench http``: simulated intakes over HTTP on loopback against a real server process.

The server runs in its own process (uvicorn, SQLite in a temporary folder, one worker). Two phases run
against it in the same run, so their ratio is the figure to compare between noisy machines:

- people: N concurrent simulated people, each doing whole intakes (a new one when done) and pausing before
  every message as people do (``think_ms`` on average, varied): the turn latencies (p50/p95/p99);
- saturation: the same N intakes without pauses: the most turns per second the server does;
- bare: the same N clients calling ``/healthz`` (a bare JSON endpoint through the same middleware) without
  pauses; ``turns_over_bare`` is saturated turns per second over bare requests per second.

Everything is bounded by time and count, talks only to 127.0.0.1, and stops by itself.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from loket.bench import percentile
from loket.bench.simulate import answer_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class _Server:
    def __init__(self, data_dir: Path, database_url: str | None, workers: int = 1) -> None:
        self.workers = workers
        self.port = _free_port()
        env = {**os.environ, "LOKET_DATA_DIR": str(data_dir), "LOKET_SCHEDULER": "false",
               "LOKET_SECRET_KEY": "bench-secret-key-0123456789-abcdefghijkl",
               "LOKET_RATE_LIMIT_SESSION": "100000/minute", "LOKET_RATE_LIMIT_IP": "10000000/minute",
               "LOKET_RATE_LIMIT_START": "1000000/minute"}
        if database_url:
            env["LOKET_DATABASE_URL"] = database_url
        else:
            env.pop("LOKET_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "loket.cli", "db", "upgrade"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "loket.asgi:app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning", "--no-access-log", *(["--workers", str(workers)] if workers > 1 else [])],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the benchmark server did not start")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself, or uvicorn's workers under it."""
        return _children(self.process.pid) if self.workers > 1 else [self.process.pid]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


async def _person(client: httpx.AsyncClient, stop_at: float, think_s: float, latencies: list[float],
                  errors: list[str], intakes: list[int], rnd: random.Random) -> None:
    # People do not type in step: each pause varies (0.5 to 1.5 times the mean), and starts are spread.
    await asyncio.sleep(rnd.uniform(0, think_s))
    while time.monotonic() < stop_at:
        response = await client.post("/api/v1/intake", json={"channel": "api"})
        if response.status_code != 201:
            errors.append(f"start {response.status_code}")
            return
        turn = response.json()
        auth = {"Authorization": f"Bearer {turn['token']}"}
        session_id, previous, n = turn["session_id"], None, 0
        while not turn.get("done") and time.monotonic() < stop_at and n < 80:
            text = answer_for(turn, previous_slot=previous)
            previous = (turn.get("expecting") or {}).get("slot")
            if think_s:
                await asyncio.sleep(think_s * rnd.uniform(0.5, 1.5))
            started = time.perf_counter()
            response = await client.post(f"/api/v1/intake/{session_id}/messages", json={"text": text},
                                         headers=auth)
            latencies.append((time.perf_counter() - started) * 1000)
            n += 1
            if response.status_code != 200:
                errors.append(f"turn {response.status_code}")
                return
            turn = response.json()
        if turn.get("done"):
            intakes.append(n)


async def _bare(client: httpx.AsyncClient, stop_at: float, latencies: list[float]) -> None:
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        response = await client.get("/healthz")
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()


def _clients(url: str, n: int) -> list[httpx.AsyncClient]:
    # One client with one keep-alive connection per simulated person: a browser tab is like that, and
    # httpx's pool gets slow with many connections in one client (the load generator became the bottleneck).
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return [httpx.AsyncClient(base_url=url, limits=limits, timeout=60) for _ in range(n)]


async def _turns(clients: list[httpx.AsyncClient], seconds: float, think_s: float) -> dict[str, Any]:
    turn_ms: list[float] = []
    errors: list[str] = []
    intakes: list[int] = []
    rnd = random.Random(2026)
    start = time.monotonic()
    await asyncio.gather(*(_person(c, start + seconds, think_s, turn_ms, errors, intakes, random.Random(rnd.random()))
                           for c in clients))
    elapsed = time.monotonic() - start
    return {"ms": turn_ms, "per_s": len(turn_ms) / elapsed, "errors": len(errors), "intakes": intakes}


async def _run(url: str, concurrency: int, seconds: float, think_s: float) -> dict[str, Any]:
    clients = _clients(url, concurrency)
    try:
        # 1. People: N intakes at once, each person pausing before every message (latency as people feel it).
        paced = await _turns(clients, seconds, think_s)
        # 2. Saturation: the same N intakes without pauses (the most turns the server can do).
        saturated = await _turns(clients, seconds, 0.0)
        # 3. Bare: the same N clients on a bare JSON endpoint of the same server, without pauses.
        bare_ms: list[float] = []
        start = time.monotonic()
        await asyncio.gather(*(_bare(c, start + seconds, bare_ms) for c in clients))
        bare_per_s = len(bare_ms) / (time.monotonic() - start)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    intakes = paced["intakes"] + saturated["intakes"]
    return {
        "turns": len(paced["ms"]) + len(saturated["ms"]),
        "intakes_done": len(intakes),
        "turns_per_intake": round(statistics.mean(intakes), 1) if intakes else None,
        "errors": paced["errors"] + saturated["errors"],
        "turn_p50_ms": round(percentile(paced["ms"], 0.50), 2),
        "turn_p95_ms": round(percentile(paced["ms"], 0.95), 2),
        "turn_p99_ms": round(percentile(paced["ms"], 0.99), 2),
        "turns_per_s": round(saturated["per_s"], 1),
        "saturated_turn_p50_ms": round(percentile(saturated["ms"], 0.50), 2),
        "saturated_turn_p95_ms": round(percentile(saturated["ms"], 0.95), 2),
        "bare_p50_ms": round(percentile(bare_ms, 0.50), 2),
        "bare_p95_ms": round(percentile(bare_ms, 0.95), 2),
        "bare_per_s": round(bare_per_s, 1),
        "turns_over_bare": round(saturated["per_s"] / bare_per_s, 3) if bare_per_s else None,
    }


def bench_http(*, concurrency: int = 100, seconds: float = 20.0, think_ms: float = 1500.0,
               database_url: str | None = None, workers: int = 1) -> dict[str, Any]:
    """Run the phases against a fresh server (``workers`` processes); return the figures and the peak
    memory of the largest worker."""
    with tempfile.TemporaryDirectory(prefix="loket-bench-") as tmp:
        server = _Server(Path(tmp), database_url, workers)
        try:
            result = asyncio.run(_run(server.url, concurrency, seconds, think_ms / 1000))
            rss = [r for r in (_peak_rss_mb(pid) for pid in server.worker_pids()) if r is not None]
            result["server_peak_rss_mb"] = max(rss) if rss else None
        finally:
            server.stop()
    result.update({"concurrency": concurrency, "seconds_per_phase": seconds, "think_ms": think_ms,
                   "database": _database_name(database_url), "workers": workers,
                   "targets": {"turn_p95_ms": 30, "turns_over_bare": 0.5, "saturated_turn_p95_ms": 250,
                               "server_peak_rss_mb": 400}})
    return result


def _database_name(database_url: str | None) -> str:
    if not database_url:
        return "sqlite"
    return database_url.split(":", 1)[0].split("+", 1)[0]
