"""The benchmark commands run and print their figures (speed itself is judged from those figures, not here)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from loket.cli import app


def test_bench_advice_prints_its_figures(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["bench", "advice", "--json", "--repeats", "5"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["vacatures"] == 20000
    for key in ("advice_p50_ms", "advice_p95_ms", "baseline_extract_p95_ms", "advice_over_baseline"):
        assert figures[key] > 0


def test_bench_http_prints_its_figures(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    from loket.bench.http import bench_http

    # In its own thread: the session's headless browser keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        figures = pool.submit(bench_http, concurrency=2, seconds=1.0, think_ms=20).result(timeout=300)
    assert figures["errors"] == 0 and figures["turns"] > 0
    for key in ("turn_p50_ms", "turn_p95_ms", "turn_p99_ms", "turns_per_s", "bare_per_s", "turns_over_bare"):
        assert figures[key] > 0
    assert figures["server_peak_rss_mb"] is None or figures["server_peak_rss_mb"] > 10


def test_bench_invalpool_prints_its_figures(knowledge) -> None:  # type: ignore[no-untyped-def]
    from loket.bench.invalpool import bench_invalpool

    figures = bench_invalpool(knowledge, repeats=5, batch_repeats=1)
    assert figures["invallers"] == 10000
    for key in ("rank_10k_p50_ms", "rank_10k_p95_ms", "batch_500x10k_s", "rank_over_baseline"):
        assert figures[key] > 0
