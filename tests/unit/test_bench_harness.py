"""`make bench` finds every benchmark module with a `run(session)`, and judges goals from
the figure and its same-run baseline (no timing is asserted here)."""

from __future__ import annotations

import json
import sys
import types

import benchmarks.__main__ as bench_main
from benchmarks.__main__ import discover, table
from benchmarks.harness import Figure, Goal, Skip, measure, percentile


def test_discovers_modules_with_a_run_entry_point(tmp_path, monkeypatch):
    pkg = tmp_path / "fakebench"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "parse_throughput.py").write_text("def run(session):\n    return []\n")
    (pkg / "helpers.py").write_text("X = 1\n")
    (pkg / "_private.py").write_text("def run(session):\n    return []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert list(discover(pkg)) == ["parse_throughput"]


def test_the_benchmarks_of_this_repository_are_found():
    assert {
        "refresh_end_to_end",
        "committee_queries",
        "startup",
        "microdata_aggregates",
        "parse_throughput",
        "parse_peers",
    } <= set(discover())


def test_goals_use_the_baseline_of_the_same_run():
    slow = Figure("x", 3.1, baseline="floor", baseline_value=2.0, goal=Goal("max_ratio", 1.5))
    fast = Figure("x", 2.9, baseline="floor", baseline_value=2.0, goal=Goal("max_ratio", 1.5))
    assert slow.met is False and fast.met is True
    speed = Figure("x", 1.0, baseline="pandas", baseline_value=4.0, goal=Goal("min_speedup", 5))
    assert speed.met is False and speed.ratio == 0.25
    assert Figure("x", 0.049, goal=Goal("max_value", 0.05)).met is True
    assert "4.0x faster" in table([("b", speed)])


def test_a_minimum_value_goal_for_throughputs():
    goal = Goal("min_value", 50)
    fast = Figure("x", 61.0, unit="MB/s", baseline="pandas", baseline_value=5.0, goal=goal)
    slow = Figure("x", 49.9, unit="MB/s", goal=goal)
    assert fast.met is True and slow.met is False
    assert Figure("x", 50.0, unit="MB/s", goal=goal).met is True
    assert goal.text("MB/s") == ">= 50 MB/s"
    assert ">= 50 MB/s" in table([("b", fast)]) and "12.20x" in table([("b", fast)])


def test_a_benchmark_that_cannot_run_here_is_skipped_with_its_reason(tmp_path, monkeypatch, capsys):
    def cannot(session):
        raise Skip("real files absent at /nowhere")

    def runs(session):
        return [Figure("y", 1.0)]

    modules = {
        "absent": types.SimpleNamespace(run=cannot),
        "present": types.SimpleNamespace(run=runs),
    }
    monkeypatch.setattr(bench_main, "discover", lambda: modules)
    monkeypatch.setattr(bench_main, "REPO", tmp_path)
    monkeypatch.setattr(bench_main, "RESULTS", tmp_path / "bench-results")
    assert bench_main.main([]) == 0
    out = capsys.readouterr()
    assert "SKIPPED absent: real files absent at /nowhere" in out.out
    assert "present" in out.out and "skipped: real files absent" in out.err
    doc = json.loads((tmp_path / "bench-results" / "absent.json").read_text())
    assert doc["skipped"] == "real files absent at /nowhere" and doc["error"] is False
    assert doc["figures"] == []


def test_percentile_interpolates_like_numpy():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.5
    assert round(percentile(values, 95), 2) == 95.05


def test_measure_reports_exit_code_and_peak_memory():
    run = measure([sys.executable, "-c", "x = bytearray(80 * 1024 * 1024); raise SystemExit(3)"])
    assert run.returncode == 3
    assert run.peak_mb >= 80
