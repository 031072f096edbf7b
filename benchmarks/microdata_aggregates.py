"""Microdata: a synthetic LFS-like file of 10 million person-quarter rows -> every cell (2
indicators x 5 years x Flanders and 5 provinces x 16 categories) with PSU-linearised standard
errors and disclosure control, in DuckDB (pipelines.sources.microdata), against a pandas groupby
implementation of the same cells on the same file in the same run. Each in its own
subprocess (peak memory per step). Goals: <= 10 s, and >= 5x faster than pandas."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.harness import REPO, RESULTS, Figure, Goal, Run, Session, measure

GENERATOR = REPO / "pipelines" / "lib" / "microdata" / "synthetic.py"


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
    return path, measure(cmd, env=session.env()).check("synthetic generator")


def run(session: Session) -> list[Figure]:
    rows = 1_000_000 if session.quick else 10_000_000
    path, generated = synthetic_file(session, rows)
    out = session.fresh("microdata")
    env = session.env()
    worker = [sys.executable, "-m", "benchmarks.microdata_aggregates"]
    ours = measure([*worker, "--ours", str(path), str(out / "ours.parquet")], env=env).check(
        "DuckDB"
    )
    pandas = measure([*worker, "--pandas", str(path), str(out / "pandas.parquet")], env=env).check(
        "pandas"
    )
    same = measure(
        [*worker, "--compare", str(out / "ours.parquet"), str(out / "pandas.parquet")], env=env
    )
    same = same.check("comparison").stdout.strip()
    label = f"{rows / 1e6:g}M rows"
    figures = [
        Figure(
            f"pandas groupby, same cells ({label})",
            pandas.wall_s,
            peak_mb=pandas.peak_mb,
            cpu_s=pandas.cpu_s,
            note="baseline",
        ),
        Figure(
            f"DuckDB: {label} -> all cells with SE",
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
    if generated is not None:
        figures.append(
            Figure(
                f"generate the synthetic file ({label})",
                generated.wall_s,
                peak_mb=generated.peak_mb,
                cpu_s=generated.cpu_s,
                note="setup, not a goal",
            )
        )
    return figures


def _same_cells(ours: Path, pandas: Path) -> str:
    import numpy as np
    import pandas as pd

    a, b = pd.read_parquet(ours), pd.read_parquet(pandas)
    keys = ["indicator_id", "year", "geo", "breakdown", "category"]
    merged = a.merge(b, on=keys, suffixes=("", "_pd"))
    shown = merged[merged["status"] != "suppressed"]
    if len(merged) != len(a) or len(a) != len(b):
        return f"CELLS DIFFER ({len(a)} vs {len(b)})"
    worst = max(
        float(np.nanmax(np.abs(shown[c].astype(float) - shown[f"{c}_pd"].astype(float))))
        for c in ("value", "standard_error", "n_unweighted")
    )
    return f"{len(a)} cells equal to pandas" if worst < 1e-6 else f"RESULTS DIFFER by {worst:g}"


def _ours(path: str, out: str) -> None:
    from pipelines.settings import config
    from pipelines.sources.microdata.aggregate import Thresholds, aggregate_file

    cells = aggregate_file(Path(path), Thresholds.from_config(config()))
    cells.write_parquet(out)
    print(json.dumps({"cells": cells.height}))


def _pandas(path: str, out: str) -> None:
    from benchmarks._pandas_microdata import aggregate

    aggregate(Path(path)).to_parquet(out)


if __name__ == "__main__" and len(sys.argv) == 4:
    if sys.argv[1] == "--compare":
        print(_same_cells(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        {"--ours": _ours, "--pandas": _pandas}[sys.argv[1]](sys.argv[2], sys.argv[3])
