"""Eurostat parsing throughput on a large file: a ~200 MB (quick: ~20 MB) old-bulk TSV made
from a real shared file by replicating its series under new geography codes
(benchmarks/_eurostat_bulk.py; generated once into bench-results/parse/), parsed by the
pipeline's parser (`pipelines.parsing.parse_bytes`, as the ingest calls it) and by a plain
pandas read_csv + melt to the same long table, each in its own subprocess (peak memory per
parser). Both must give the same observations (a checksum over counts, values and flags per
period). Goals: >= 50 MB/s, and >= 5x faster than pandas.

The real files come from MONITOR_SHARED_DATA or ../shared/data/eurostat; without them the
benchmark is skipped. Nothing is copied into the repository.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

from benchmarks.harness import REPO, RESULTS, Figure, Goal, Run, Session, Skip, measure, median

GENERATOR = Path(__file__).resolve().parent / "_eurostat_bulk.py"
SOURCE = "lfst_r_lfu3rt.tsv"  # the largest real file (age,sex,geo\time, 15 years, flags)
REPEATS = 3  # our parser: median of 3 subprocesses; pandas (slow) once


def shared_data() -> Path:
    return Path(os.environ.get("MONITOR_SHARED_DATA", REPO.parent / "shared" / "data" / "eurostat"))


def source_file(folder: Path) -> Path:
    if not folder.is_dir():
        raise Skip(
            f"real Eurostat files not available at {folder} "
            "(set MONITOR_SHARED_DATA, or provide ../shared/data/eurostat)"
        )
    for name in (SOURCE, SOURCE + ".gz"):
        if (folder / name).is_file():
            return folder / name
    bulk = [p for p in folder.iterdir() if p.name.endswith((".tsv", ".tsv.gz")) and p.is_file()]
    if not bulk:
        raise Skip(f"no Eurostat TSV file in {folder}")
    return max(bulk, key=lambda p: p.stat().st_size)


def big_file(session: Session, source: Path, megabytes: int) -> tuple[Path, Run | None]:
    """The benchmark file under bench-results/parse/ (git-ignored), named by a hash of the
    generator and of the source file, so it is regenerated (in a subprocess) only when either
    changed; returns it and the generation run (None when reused)."""
    digest = hashlib.sha256(GENERATOR.read_bytes() + source.read_bytes()).hexdigest()[:12]
    stem = source.name.split(".")[0]
    folder = RESULTS / "parse"
    path = folder / f"BIG_{stem}_{megabytes}MB_{digest}.tsv"
    if path.exists():
        return path, None
    for stale in folder.glob(f"BIG_{stem}_{megabytes}MB_*"):
        stale.unlink()
    cmd = [sys.executable, "-m", "benchmarks._eurostat_bulk", str(source), str(path)]
    run = measure([*cmd, str(megabytes)], env=session.env()).check("TSV generator")
    return path, run


def run(session: Session) -> list[Figure]:
    source = source_file(shared_data())
    megabytes = 20 if session.quick else 200
    path, generated = big_file(session, source, megabytes)
    size_mb = path.stat().st_size / 1e6
    env = session.env()
    worker = [sys.executable, "-m", "benchmarks.parse_throughput"]
    ours, (pandas,), same = _parse_both(path, worker, env, pandas_runs=1)
    ours_s = median([r["seconds"] for r in ours])
    ours_cpu = median([r["cpu_s"] for r in ours])
    ours_peak = max(r["peak_mb"] for r in ours)
    label = f"{size_mb:.0f} MB, {ours[0]['checksum']['rows'] / 1e6:.1f}M obs"
    return [
        *_real_file(source, worker, env),
        Figure(
            f"pandas read_csv + melt ({label})",
            pandas["seconds"],
            peak_mb=pandas["peak_mb"],
            cpu_s=pandas["cpu_s"],
            note="baseline, 1 run",
        ),
        Figure(
            f"parse_bytes: {label}",
            ours_s,
            baseline="pandas melt",
            baseline_value=pandas["seconds"],
            goal=Goal("min_speedup", 5.0),
            peak_mb=ours_peak,
            cpu_s=ours_cpu,
            baseline_cpu_s=pandas["cpu_s"],
            note=f"median of {REPEATS}; {same}",
        ),
        Figure(
            f"parse_bytes throughput ({size_mb:.0f} MB)",
            size_mb / ours_s,
            unit="MB/s",
            baseline="pandas melt",
            baseline_value=size_mb / pandas["seconds"],
            goal=Goal("min_value", 50.0),
            peak_mb=ours_peak,
            cpu_s=ours_cpu,
            baseline_cpu_s=pandas["cpu_s"],
            note=f"CPU-time basis {size_mb / ours_cpu:.0f} MB/s",
        ),
        *(
            [
                Figure(
                    f"generate the {size_mb:.0f} MB TSV from {source.name}",
                    generated.wall_s,
                    peak_mb=generated.peak_mb,
                    cpu_s=generated.cpu_s,
                    note="setup, not a goal",
                )
            ]
            if generated is not None
            else []
        ),
    ]


def _parse_both(
    path: Path, worker: list[str], env: dict, pandas_runs: int
) -> tuple[list[dict], list[dict], str]:
    """Our parser REPEATS times and pandas `pandas_runs` times on `path`, each run in its own
    subprocess; raises unless every run gave the same observations."""
    ours = [
        _result(measure([*worker, "--ours", str(path)], env=env).check("our parser"))
        for _ in range(REPEATS)
    ]
    pandas = [
        _result(measure([*worker, "--pandas", str(path)], env=env).check("pandas melt"))
        for _ in range(pandas_runs)
    ]
    if any(r["checksum"] != ours[0]["checksum"] for r in ours):
        raise RuntimeError(f"our parser gave different observations across runs on {path.name}")
    same = _compare(ours[0]["checksum"], pandas[0]["checksum"])
    if not same.startswith("same"):
        raise RuntimeError(f"our parser and pandas disagree on {path.name}: {same}")
    return ours, pandas, same


def _real_file(source: Path, worker: list[str], env: dict) -> list[Figure]:
    """The largest real file as it is (no replication): both parsers, median of REPEATS."""
    if source.name.endswith(".gz"):
        return []  # the workers read plain TSV; the big file is made from it anyway
    size_mb = source.stat().st_size / 1e6
    ours, pandas, same = _parse_both(source, worker, env, pandas_runs=REPEATS)
    ours_s = median([r["seconds"] for r in ours])
    pandas_s = median([r["seconds"] for r in pandas])
    return [
        Figure(
            f"parse_bytes on the real {source.name} ({size_mb:.2f} MB)",
            size_mb / ours_s,
            unit="MB/s",
            baseline="pandas melt, same file",
            baseline_value=size_mb / pandas_s,
            note=f"median of {REPEATS} each; {same}; no goal (a small file)",
        )
    ]


def _result(run: Run) -> dict:
    """The worker's figures; its peak memory is the one at the end of the parse (the checksum
    that follows is not counted; `run.peak_mb`, the whole subprocess, is at least that)."""
    return json.loads(run.stdout.strip().splitlines()[-1])


def _compare(ours: dict, pandas: dict) -> str:
    """`same ...` when both parsers gave the same observations, else what differs."""
    for key in ("rows", "missing", "series", "flags"):
        if ours[key] != pandas[key]:
            return f"{key} differ: {ours[key]} vs {pandas[key]}"
    if ours["by_time"].keys() != pandas["by_time"].keys():
        return f"periods differ: {sorted(ours['by_time'])} vs {sorted(pandas['by_time'])}"
    for period, (count, total) in ours["by_time"].items():
        count_pd, total_pd = pandas["by_time"][period]
        if count != count_pd or not math.isclose(total, total_pd, rel_tol=1e-9):
            return f"values of {period} differ: {count} {total} vs {count_pd} {total_pd}"
    if not math.isclose(ours["weighted"], pandas["weighted"], rel_tol=1e-9):
        return f"weighted sums differ: {ours['weighted']} vs {pandas['weighted']}"
    return f"same {ours['rows']} obs as pandas"


def pandas_melt(data: bytes):
    """read_csv + split the series key + melt + split value and flags: the same long table."""
    import pandas as pd

    frame = pd.read_csv(io.BytesIO(data), sep="\t", dtype=str)
    key = frame.columns[0]
    dims = key.split("\\")[0].split(",")
    frame[dims] = frame[key].str.split(",", expand=True)
    long = frame.drop(columns=[key]).melt(id_vars=dims, var_name="time", value_name="cell")
    long["time"] = long["time"].str.strip()
    parts = long["cell"].str.strip().str.extract(r"^(\S+)\s*(\S*)$")
    long["value"] = pd.to_numeric(parts[0].where(parts[0] != ":"), errors="raise")
    long["flags"] = parts[1].fillna("")
    return long, dims


def _checksum_polars(frame, dims: list[str]) -> dict:
    import polars as pl

    by_time = frame.group_by("time").agg(
        pl.col("value").count().alias("n"), pl.col("value").sum().alias("sum")
    )
    flags = frame.group_by("flags").len()
    first = frame.filter(pl.col("time") == pl.col("time").min())
    return {
        "rows": frame.height,
        "missing": frame["value"].null_count(),
        "series": first.select(dims).n_unique(),
        "flags": {f: int(n) for f, n in flags.iter_rows()},
        "by_time": {t: [int(c), float(s)] for t, c, s in by_time.iter_rows()},
        # each value weighted by the length of its geography code: a value moved to another
        # series or period changes it
        "weighted": float(
            frame.select((pl.col("value") * pl.col(dims[-1]).str.len_chars()).sum()).item()
        ),
    }


def _checksum_pandas(long, dims: list[str]) -> dict:
    from pipelines.parsing import normalise_period

    periods = {t: normalise_period(t) for t in long["time"].unique()}
    time_ = long["time"].map(periods)
    by_time = long.groupby(time_)["value"].agg(["count", "sum"])
    first = long[time_ == min(periods.values())]
    return {
        "rows": len(long),
        "missing": int(long["value"].isna().sum()),
        "series": len(first[dims].drop_duplicates()),
        "flags": {str(f): int(n) for f, n in long["flags"].value_counts().items()},
        "by_time": {str(t): [int(r["count"]), float(r["sum"])] for t, r in by_time.iterrows()},
        "weighted": float((long["value"] * long[dims[-1]].str.len()).sum()),
    }


def _timed(fn) -> tuple[object, dict]:
    """fn's result, and its wall and CPU seconds and the peak memory (MB) when it ends."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result, {
        "seconds": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "peak_mb": peak,
    }


def _ours(path: Path) -> dict:
    from pipelines.parsing import dataset_code_from_name, parse_bytes

    code = dataset_code_from_name(path.name)
    parsed, figures = _timed(lambda: parse_bytes(path.read_bytes(), str(path), code))
    return figures | {"checksum": _checksum_polars(parsed.frame, parsed.dimensions)}


def _pandas(path: Path) -> dict:
    import pandas  # noqa: F401  (imported before the clock starts, as polars is for ours)

    (long, dims), figures = _timed(lambda: pandas_melt(path.read_bytes()))
    return figures | {"checksum": _checksum_pandas(long, dims)}


if __name__ == "__main__" and len(sys.argv) == 3:
    print(json.dumps({"--ours": _ours, "--pandas": _pandas}[sys.argv[1]](Path(sys.argv[2]))))
