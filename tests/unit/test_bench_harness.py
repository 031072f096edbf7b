"""`make bench` finds every benchmark module with a `run(session)`, and judges goals from
the figure and its same-run baseline (no timing is asserted here)."""

from __future__ import annotations

import sys

from benchmarks.__main__ import discover, table
from benchmarks.harness import Figure, Goal, measure, percentile


def test_discovers_modules_with_a_run_entry_point(tmp_path, monkeypatch):
    pkg = tmp_path / "fakebench"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "parse_throughput.py").write_text("def run(session):\n    return []\n")
    (pkg / "helpers.py").write_text("X = 1\n")
    (pkg / "_private.py").write_text("def run(session):\n    return []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert list(discover(pkg)) == ["parse_throughput"]


def test_the_four_benchmarks_of_this_repository_are_found():
    assert {"refresh_end_to_end", "committee_queries", "startup", "microdata_aggregates"} <= set(
        discover()
    )


def test_goals_use_the_baseline_of_the_same_run():
    slow = Figure("x", 3.1, baseline="floor", baseline_value=2.0, goal=Goal("max_ratio", 1.5))
    fast = Figure("x", 2.9, baseline="floor", baseline_value=2.0, goal=Goal("max_ratio", 1.5))
    assert slow.met is False and fast.met is True
    speed = Figure("x", 1.0, baseline="pandas", baseline_value=4.0, goal=Goal("min_speedup", 5))
    assert speed.met is False and speed.ratio == 0.25
    assert Figure("x", 0.049, goal=Goal("max_value", 0.05)).met is True
    assert "4.0x faster" in table([("b", speed)])


def test_percentile_interpolates_like_numpy():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.5
    assert round(percentile(values, 95), 2) == 95.05


def test_measure_reports_exit_code_and_peak_memory():
    run = measure([sys.executable, "-c", "x = bytearray(80 * 1024 * 1024); raise SystemExit(3)"])
    assert run.returncode == 3
    assert run.peak_mb >= 80
