"""``loket bench invalpool``: one vraag ranked against 10,000 invallers, and the evening-before plan of
500 vragen over the same pool, each next to a baseline measured in the same run (these machines are
noisy: the ratio is the number to compare between runs)."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from knowledge.loader import Knowledge
from loket.bench import percentile, rss_mb, time_ms
from matching.geo import haversine_km_many
from matching.invalpool import DAGDELEN, InvallerData, Pool, VraagData, plan_batch, rank

REFERENCE_DAY = date(2026, 11, 25)


def national_pool(knowledge: Knowledge, *, seed: int = 2026,
                  scale: str = "national") -> tuple[Pool, list[dict[str, Any]], list[date], float | None]:
    """The demo pool of ``scale`` (national: 10,000 invallers; national10: 100,000) as matcher data, its
    schools, its school days, and the memory the pool took (MB)."""
    from loket.demo import generate

    data = generate(knowledge.region, today=REFERENCE_DAY, scale=scale, seed=seed)  # type: ignore[arg-type]
    t = data.tables
    approved: dict[str, set[str]] = {}
    for g in t["invaller_goedkeuring"]:
        approved.setdefault(g["invaller_id"], set()).add(g["bestuur_id"])
    slots: dict[str, set[tuple[date, str]]] = {}
    for b in t["beschikbaarheid"]:
        parts = DAGDELEN if b["dagdeel"] == "dag" else (b["dagdeel"],)
        slots.setdefault(b["invaller_id"], set()).update((b["datum"], p) for p in parts)
    rnd = random.Random(seed)
    invallers = [
        InvallerData(id=i["id"], lat=i["lat"], lon=i["lon"], max_afstand_km=i["max_afstand_km"],
                     bevoegdheden=frozenset(i["bevoegdheden"]), groepen=frozenset(i["groepen"]), tier=i["tier"],
                     vog_geldig_tot=i["vog_geldig_tot"], id_geldig_tot=i["id_geldig_tot"],
                     goedgekeurd_door=frozenset(approved.get(i["id"], ())),
                     beschikbaar=frozenset(slots.get(i["id"], ())),
                     belasting_dagen=float(rnd.randint(0, 12)),
                     ketencontracten={b: rnd.randint(0, 6) for b in sorted(approved.get(i["id"], ()))})
        for i in t["invaller"]
    ]
    days = sorted({d for s in slots.values() for d, _ in s})
    before = rss_mb()
    pool = Pool.build(invallers)
    after = rss_mb()
    return pool, t["school"], days, round(after - before, 1) if before is not None and after is not None else None


def _vragen(schools: list[dict[str, Any]], day: date, n: int, rnd: random.Random) -> list[VraagData]:
    out = []
    for k in range(n):
        s = rnd.choice(schools)
        out.append(VraagData(id=f"v{k}", school_id=s["id"], bestuur_id=s["bestuur_id"], lat=s["lat"], lon=s["lon"],
                             dagen=(day,), groepen=(rnd.choice(["1-2", "3-4", "5-6", "7-8"]),),
                             vereist="gym_bevoegdheid" if rnd.random() < 0.05 else "po_bevoegdheid"))
    return out


def bench_invalpool(knowledge: Knowledge, *, repeats: int = 300, batch_repeats: int = 3,
                    seed: int = 2026, scale: str = "national") -> dict[str, Any]:
    """Figures for ranking one vraag over the pool (10k invallers; 100k at national10) and planning 500
    vragen, with same-run baselines. Keys name the pool size (``rank_10k_p95_ms``, ``rank_100k_p95_ms``)."""
    started = time.perf_counter()
    pool, schools, days, pool_mb = national_pool(knowledge, seed=seed, scale=scale)
    build_s = time.perf_counter() - started
    rnd = random.Random(seed)
    day = days[0] if days else REFERENCE_DAY + timedelta(days=1)
    queries = _vragen(schools, day, 64, rnd)

    # Warm up both sides before measuring.
    rank(queries[0], pool, limit=20)
    haversine_km_many(queries[0].lat, queries[0].lon, pool.lat_rad, pool.lon_rad)
    counter = iter(range(10**9))
    bcounter = iter(range(10**9))
    lats, lons = np.degrees(pool.lat_rad), np.degrees(pool.lon_rad)
    eligible_counts: list[int] = []

    def one_rank() -> object:
        q = queries[next(counter) % len(queries)]
        result = rank(q, pool, limit=20)
        eligible_counts.append(len(result))
        return result

    def one_haversine() -> object:
        q = queries[next(bcounter) % len(queries)]
        return haversine_km_many(q.lat, q.lon, lats, lons)

    rank_ms: list[float] = []
    base_ms: list[float] = []
    for _ in range(repeats):  # interleaved, so both see the same machine noise
        rank_ms += time_ms(one_rank, 1)
        base_ms += time_ms(one_haversine, 1)

    batch = _vragen(schools, day, 500, rnd)
    batch_s: list[float] = []
    lsa_s: list[float] = []
    filled = 0
    matrix_rng = np.random.default_rng(seed)
    for _ in range(batch_repeats):
        t0 = time.perf_counter()
        plan = plan_batch(batch, pool)
        batch_s.append(time.perf_counter() - t0)
        filled = plan.filled
        cost = matrix_rng.random((500, pool.n))
        t0 = time.perf_counter()
        linear_sum_assignment(cost)
        lsa_s.append(time.perf_counter() - t0)

    p95, base_p95 = percentile(rank_ms, 0.95), percentile(base_ms, 0.95)
    batch_med, lsa_med = statistics.median(batch_s), statistics.median(lsa_s)
    k = f"{round(pool.n / 1000)}k"
    return {
        "scale": scale,
        "invallers": pool.n,
        "repeats": repeats,
        "pool_build_s": round(build_s, 2),
        f"rank_{k}_p50_ms": round(statistics.median(rank_ms), 3),
        f"rank_{k}_p95_ms": round(p95, 3),
        f"rank_{k}_max_ms": round(max(rank_ms), 3),
        "rank_median_shown": int(statistics.median(eligible_counts)) if eligible_counts else 0,
        f"baseline_haversine_{k}_p50_ms": round(statistics.median(base_ms), 3),
        f"baseline_haversine_{k}_p95_ms": round(base_p95, 3),
        "rank_over_baseline": round(p95 / base_p95, 2) if base_p95 else None,
        f"batch_500x{k}_s": round(batch_med, 3),
        "batch_filled": filled,
        f"baseline_lsa_random_500x{k}_s": round(lsa_med, 3),
        "batch_over_baseline": round(batch_med / lsa_med, 2) if lsa_med else None,
        # What a server worker adds for this pool (the bench also holds the generated demo tables).
        "pool_rss_mb": pool_mb,
        "targets": {f"rank_{k}_p95_ms": 10 if scale == "national" else 5,
                    f"batch_500x{k}_s": 2 if scale == "national" else 5},
    }
