"""Microdata: synthetic LFS-like files of 1M, 10M and 100M person-quarter rows (generated once
into bench-results/microdata/) -> every cell (2 indicators x 5 years x Flanders and 5
provinces x 16 categories) with PSU-linearised standard errors and disclosure control, in
DuckDB with the configured memory limit (pipelines.sources.microdata). Each run in its own
subprocess, whose peak resident memory (ru_maxrss) is measured.

Baselines in the same run: a pandas groupby implementation of the same cells on the 10M file
(checked equal cell by cell, before disclosure control), and for the 100M file the 10M run
(cost per row should be flat or falling). Goals: 10M <= 10 s and >= 5x faster than pandas;
100M <= 120 s with peak memory <= 4 GB; CPU time per row at 100M <= that at 10M (CPU time:
less sensitive than wall time to the other work on this shared machine). Quick mode: 1M rows
only, against pandas."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from benchmarks.harness import REPO, RESULTS, Figure, Goal, Run, Session, measure

GENERATOR = REPO / "pipelines" / "lib" / "microdata" / "synthetic.py"
PEAK_LIMIT_MB = 4096


def synthetic_file(session: Session, rows: int) -> tuple[Path, Run | None]:
    """The benchmark file under bench-results/ (git-ignored), regenerated (in a subprocess)
    when the generator changed; returns it and the generation run (None when reused)."""
    path = RESULTS / "microdata" / f"SYNTHETIC_lfs_{rows}.parquet"
    if path.exists() and path.stat().st_mtime > GENERATOR.stat().st_mtime:
        return path, None
    cmd = [
        sys.executable,
        "-m",
        "pipelines.sources.microdata.synthetic",
        "--rows",
        str(rows),
        "--out",
        str(path),
    ]
    return path, measure(cmd, env=session.env(), timeout=7200).check("synthetic generator")


def _label(rows: int) -> str:
    return f"{rows / 1e6:g}M rows"


def _measured(session: Session, path: Path, out: Path) -> tuple[Run, dict]:
    worker = [sys.executable, "-m", "benchmarks.microdata_aggregates", "--ours"]
    run = measure([*worker, str(path), str(out)], env=session.env(), timeout=7200)
    run.check(f"DuckDB on {path.name}")
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def run(session: Session) -> list[Figure]:
    sizes = [1_000_000] if session.quick else [1_000_000, 10_000_000, 100_000_000]
    compared = sizes[0] if session.quick else 10_000_000
    files, figures = {}, []
    for rows in sizes:
        files[rows], generated = synthetic_file(session, rows)
        if generated is not None:
            figures.append(
                Figure(
                    f"generate the synthetic file ({_label(rows)})",
                    generated.wall_s,
                    peak_mb=generated.peak_mb,
                    cpu_s=generated.cpu_s,
                    note="setup, not a goal",
                )
            )
    out = session.fresh("microdata")
    runs = {rows: _measured(session, files[rows], out / f"ours_{rows}.parquet") for rows in sizes}

    worker = [sys.executable, "-m", "benchmarks.microdata_aggregates"]
    pandas = measure(
        [*worker, "--pandas", str(files[compared]), str(out / "pandas.parquet")],
        env=session.env(),
        timeout=7200,
    ).check("pandas")
    same = measure(
        [*worker, "--compare", str(out / f"ours_{compared}.parquet"), str(out / "pandas.parquet")],
        env=session.env(),
    )
    same = same.check("comparison").stdout.strip()
    ours, info = runs[compared]
    label = _label(compared)
    figures += [
        Figure(
            f"pandas groupby, same cells ({label})",
            pandas.wall_s,
            peak_mb=pandas.peak_mb,
            cpu_s=pandas.cpu_s,
            note="baseline",
        ),
        Figure(
            f"DuckDB: {label} -> all cells with SE + disclosure control",
            ours.wall_s,
            baseline="pandas groupby",
            baseline_value=pandas.wall_s,
            goal=Goal("min_speedup", 5.0),
            peak_mb=ours.peak_mb,
            cpu_s=ours.cpu_s,
            baseline_cpu_s=pandas.cpu_s,
            note=same,
        ),
        Figure(
            f"DuckDB: {label}, absolute",
            ours.wall_s,
            goal=Goal("max_value", 10.0),
            peak_mb=ours.peak_mb,
            cpu_s=ours.cpu_s,
        ),
    ]
    figures += [_suppressed(rows, runs[rows][1]) for rows in sizes]
    for rows in sizes:
        if rows == compared:
            continue
        wall, rows_info = runs[rows]
        figures.append(
            Figure(
                f"DuckDB: {_label(rows)} -> all cells with SE + disclosure control",
                wall.wall_s,
                baseline=f"DuckDB {label}",
                baseline_value=ours.wall_s,
                goal=Goal("max_value", 120.0) if rows == 100_000_000 else None,
                peak_mb=wall.peak_mb,
                cpu_s=wall.cpu_s,
                baseline_cpu_s=ours.cpu_s,
                note=f"worker's own peak {rows_info['peak_mb']:.0f} MB",
            )
        )
    if 100_000_000 in runs:
        big, big_info = runs[100_000_000]
        figures += [
            Figure(
                "peak memory, 100M rows",
                big.peak_mb,
                unit="MB",
                goal=Goal("max_value", PEAK_LIMIT_MB),
                peak_mb=big.peak_mb,
                note=f"memory_limit {big_info['memory_limit']}, spilling to a temporary folder",
            ),
            Figure(
                "cost per row (CPU), 100M rows",
                1e6 * big.cpu_s / 100_000_000,
                unit="us/row",
                baseline=f"the same, {label}",
                baseline_value=1e6 * ours.cpu_s / compared,
                goal=Goal("max_ratio", 1.0),
                cpu_s=big.cpu_s,
                baseline_cpu_s=ours.cpu_s,
                note=f"wall per row {1e6 * big.wall_s / 1e8:.2f} us vs "
                f"{1e6 * ours.wall_s / compared:.2f} us ({label}); flat or falling = ratio <= 1",
            ),
        ]
    return figures


def _suppressed(rows: int, info: dict) -> Figure:
    """How many cells each disclosure rule suppressed in the file of `rows` rows."""
    return Figure(
        f"cells suppressed ({_label(rows)})",
        float(info["suppressed"]),
        unit="cells",
        note=", ".join(f"{rule} {n}" for rule, n in info["by_rule"].items())
        + f" of {info['cells']} cells; {info['rounds']} round(s) of secondary suppression",
    )


def _same_cells(ours: Path, pandas: Path) -> str:
    """Our cells before disclosure control against pandas' (same values, SEs, counts)."""
    import numpy as np
    import pandas as pd

    a = pd.read_parquet(ours)
    a = a[a["category"] != "not_stated"]
    b = pd.read_parquet(pandas)
    keys = ["indicator_id", "year", "geo", "breakdown", "category"]
    merged = a.merge(b, on=keys, suffixes=("", "_pd"))
    if len(merged) != len(a) or len(a) != len(b):
        return f"CELLS DIFFER ({len(a)} vs {len(b)})"
    worst = max(
        float(np.nanmax(np.abs(merged[c].astype(float) - merged[f"{c}_pd"].astype(float))))
        for c in ("value", "standard_error", "n_unweighted")
    )
    return f"{len(a)} cells equal to pandas" if worst < 1e-6 else f"RESULTS DIFFER by {worst:g}"


def _ours(path: str, out: str) -> None:
    from pipelines.settings import config
    from pipelines.sources.microdata.aggregate import Engine, aggregate
    from pipelines.sources.microdata.disclosure import Rules

    settings = config()
    engine = Engine.from_config(settings)
    result = aggregate(Path(path), Rules.from_config(settings), engine, keep_cells=True)
    result.computed.write_parquet(out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "cells": result.cells.height,
                "suppressed": result.suppressed,
                "by_rule": result.suppressed_by_rule,
                "rounds": result.secondary_rounds,
                "peak_mb": peak,
                "memory_limit": engine.memory_limit,
            }
        )
    )


def _pandas(path: str, out: str) -> None:
    from benchmarks._pandas_microdata import aggregate

    aggregate(Path(path)).to_parquet(out)


if __name__ == "__main__" and len(sys.argv) == 4:
    if sys.argv[1] == "--compare":
        print(_same_cells(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        {"--ours": _ours, "--pandas": _pandas}[sys.argv[1]](sys.argv[2], sys.argv[3])
