"""Benchmarks that print figures (``loket bench ...``).

Each reports its figures next to a baseline measured in the same run, because these machines are noisy: the
ratio is the number to compare between runs. One module per bench: ``advice``, ``invalpool``, ``http``,
``dialogue``; ``simulate`` is the simulated person the HTTP bench and the tests use.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def time_ms(call: Callable[[], object], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def rss_mb() -> float | None:
    """This process's resident memory now (Linux), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
