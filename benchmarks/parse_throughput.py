"""Eurostat parsing throughput and memory on large files: a ~200 MB (quick: ~20 MB) and a
~1 GB (not in quick runs) old-bulk TSV made from a real shared file by replicating its series
under new geography codes (benchmarks/_eurostat_bulk.py; generated once into
bench-results/parse/), parsed by the pipeline's parser as the ingest reads a file
(`pipelines.sources.eurostat.parsing.parse_stream`: batches of lines, each batch consumed before the next
ones are parsed) and by a plain pandas read_csv + melt to the same long table, each in its
own subprocess (peak memory, `ru_maxrss`, per parser). Both must give the same observations
(a checksum over counts, values and flags per period, accumulated batch by batch for ours).
Goals: >= 50 MB/s, >= 5x faster than pandas, and a peak memory <= 2x the 200 MB file; the
1 GB file is parsed by ours alone (pandas would need ~40 GB), against the generator's count.

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
    label = f"{size_mb:.0f} MB, {ours[0]['rows'] / 1e6:.1f}M obs"
    throughput = size_mb / ours_s
    figures = [
        *_real_file(source, worker, env),
        Figure(
            f"pandas read_csv + melt ({label})",
            pandas["seconds"],
            peak_mb=pandas["peak_mb"],
            cpu_s=pandas["cpu_s"],
            note="baseline, 1 run",
        ),
        Figure(
            f"parse_stream: {label}",
            ours_s,
            baseline="pandas melt",
            baseline_value=pandas["seconds"],
            goal=Goal("min_speedup", 5.0),
            peak_mb=ours_peak,
            cpu_s=ours_cpu,
            baseline_cpu_s=pandas["cpu_s"],
            note=f"median of {REPEATS}; {same} (checked in a 4th run)",
        ),
        Figure(
            f"parse_stream throughput ({size_mb:.0f} MB)",
            throughput,
            unit="MB/s",
            baseline="pandas melt",
            baseline_value=size_mb / pandas["seconds"],
            goal=Goal("min_value", 50.0),
            peak_mb=ours_peak,
            cpu_s=ours_cpu,
            baseline_cpu_s=pandas["cpu_s"],
            note=f"CPU-time basis {size_mb / ours_cpu:.0f} MB/s",
        ),
        _peak_figure(
            f"parse_stream peak memory ({size_mb:.0f} MB file)",
            ours_peak,
            size_mb,
            goal=not session.quick,
            note=f"max of {REPEATS + 1} runs; pandas {pandas['peak_mb']:.0f} MB",
        ),
        _whole_frame(path, worker, env, size_mb, ours[0]["checksum"]),
    ]
    if generated is not None:
        figures.append(_generation(generated, size_mb, source))
    if not session.quick:
        figures += _gigabyte(session, source, worker, env, throughput)
    return figures


def _peak_figure(name: str, peak_mb: float, size_mb: float, goal: bool, note: str) -> Figure:
    """Peak resident memory against the size of the input file (goal: <= 2x)."""
    return Figure(
        name,
        peak_mb,
        unit="MB",
        baseline="input file",
        baseline_value=size_mb,
        goal=Goal("max_ratio", 2.0) if goal else None,
        peak_mb=peak_mb,
        note=note if goal else f"{note}; no goal (the interpreter alone takes ~60 MB)",
    )


def _whole_frame(
    path: Path, worker: list[str], env: dict, size_mb: float, checksum: dict
) -> Figure:
    """`parse_bytes` (the whole long table in memory, as `monitor parse` and the live
    source's checks hold it), 1 run: what the batches save."""
    whole = _result(measure([*worker, "--whole", str(path)], env=env).check("parse_bytes"))
    same = _compare(whole["checksum"], checksum)
    if not same.startswith("same"):
        raise RuntimeError(f"parse_bytes and parse_stream disagree on {path.name}: {same}")
    return Figure(
        f"parse_bytes, the whole frame in memory ({size_mb:.0f} MB)",
        whole["seconds"],
        peak_mb=whole["peak_mb"],
        cpu_s=whole["cpu_s"],
        note="1 run; same obs as parse_stream; no goal",
    )


def _generation(generated: Run, size_mb: float, source: Path) -> Figure:
    return Figure(
        f"generate the {size_mb:.0f} MB TSV from {source.name}",
        generated.wall_s,
        peak_mb=generated.peak_mb,
        cpu_s=generated.cpu_s,
        note="setup, not a goal",
    )


def _gigabyte(
    session: Session, source: Path, worker: list[str], env: dict, throughput_200: float
) -> list[Figure]:
    """The ~1 GB file, our parser once (no pandas baseline: it would need ~40 GB); its count
    is checked against what the generator wrote (series x periods)."""
    path, generated = big_file(session, source, 1000)
    size_mb = path.stat().st_size / 1e6
    result = _result(measure([*worker, "--ours", str(path)], env=env).check("our parser, 1 GB"))
    result["checksum"] = {"rows": result["rows"]}
    written = json.loads(path.with_name(path.name + ".json").read_text())
    expected = written["series"] * written["periods"]
    if result["checksum"]["rows"] != expected:
        raise RuntimeError(f"{path.name}: {result['checksum']['rows']} obs, wrote {expected}")
    label = f"{size_mb:.0f} MB, {expected / 1e6:.0f}M obs"
    figures = [
        Figure(
            f"parse_stream throughput ({label})",
            size_mb / result["seconds"],
            unit="MB/s",
            baseline="the 200 MB file, same run",
            baseline_value=throughput_200,
            goal=Goal("min_value", 50.0),
            peak_mb=result["peak_mb"],
            cpu_s=result["cpu_s"],
            note=f"1 run; the {expected} obs the generator wrote; "
            f"CPU-time basis {size_mb / result['cpu_s']:.0f} MB/s",
        ),
        _peak_figure(
            f"parse_stream peak memory ({size_mb:.0f} MB file)",
            result["peak_mb"],
            size_mb,
            goal=True,
            note="1 run",
        ),
    ]
    if generated is not None:
        figures.append(_generation(generated, size_mb, source))
    return figures


def _parse_both(
    path: Path, worker: list[str], env: dict, pandas_runs: int
) -> tuple[list[dict], list[dict], str]:
    """Our parser REPEATS times (timed) and once more computing the checksum, and pandas
    `pandas_runs` times on `path`, each run in its own subprocess; raises unless every run
    gave the same observations. The checksum run's peak memory counts in the maximum."""
    ours = [
        _result(measure([*worker, "--ours", str(path)], env=env).check("our parser"))
        for _ in range(REPEATS)
    ]
    checked = _result(measure([*worker, "--check", str(path)], env=env).check("our parser"))
    pandas = [
        _result(measure([*worker, "--pandas", str(path)], env=env).check("pandas melt"))
        for _ in range(pandas_runs)
    ]
    rows = checked["checksum"]["rows"]
    if any(r["rows"] != rows for r in ours):
        raise RuntimeError(f"our parser gave different counts across runs on {path.name}")
    same = _compare(checked["checksum"], pandas[0]["checksum"])
    if not same.startswith("same"):
        raise RuntimeError(f"our parser and pandas disagree on {path.name}: {same}")
    for run in ours:
        run["checksum"] = checked["checksum"]
    ours[0]["peak_mb"] = max(ours[0]["peak_mb"], checked["peak_mb"])
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
            f"parse_stream on the real {source.name} ({size_mb:.2f} MB)",
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
    for key in ("rows", "missing", "series", "flags", "conf_status"):
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
    """read_csv + split the series key + melt + split value, flags and confidentiality status
    (`: p@C`): the same long table, but for the confidential cells, which `_checksum_pandas`
    settles as ours does (`settle_pandas`, after the clock: it imports our package)."""
    import pandas as pd

    frame = pd.read_csv(io.BytesIO(data), sep="\t", dtype=str)
    key = frame.columns[0]
    dims = key.split("\\")[0].split(",")
    frame[dims] = frame[key].str.split(",", expand=True)
    long = frame.drop(columns=[key]).melt(id_vars=dims, var_name="time", value_name="cell")
    long["time"] = long["time"].str.strip()
    parts = long["cell"].str.strip().str.extract(r"^([^\s@]+)\s*([^\s@]*)\s*(?:@(\S*))?$")
    long["value"] = pd.to_numeric(parts[0].where(parts[0] != ":"), errors="raise")
    long["flags"] = parts[1].fillna("")
    long["conf_status"] = parts[2].fillna("")
    return long, dims


def settle_pandas(values, flags, conf) -> tuple:
    """Our reading of confidentiality (`settle_confidentiality` in pipelines.sources.eurostat.parsing) on a
    peer's pandas columns: status C for the flag `c` of older files, the flag `c` for every
    confidential status, no value in a confidential cell. Returns values, flags and status,
    and which cells it changed."""
    from pipelines.sources.eurostat.parsing import CONFIDENTIAL_CODES

    legacy = flags.str.contains("c", regex=False)
    confidential = conf.isin(CONFIDENTIAL_CODES) | legacy
    settled_conf = conf.mask((conf == "") & legacy, "C")
    settled_flags = flags.mask(confidential & ~legacy, flags + "c")
    settled_values = values.mask(confidential)
    changed = (
        (settled_conf != conf) | (settled_flags != flags) | (settled_values.isna() != values.isna())
    )
    return settled_values, settled_flags, settled_conf, changed


def _checksum_polars(frame, dims: list[str]) -> dict:
    return _merge([_partial(frame, dims)])


def _partial(frame, dims: list[str]) -> dict:
    """The checksum's parts of one batch of observations (each series in one batch)."""
    import polars as pl

    by_time = frame.group_by("time").agg(
        pl.col("value").count().alias("n"), pl.col("value").sum().alias("sum")
    )
    first_time = frame["time"].min()
    return {
        "rows": frame.height,
        "missing": frame["value"].null_count(),
        "first_time": first_time,
        "series": frame.filter(pl.col("time") == first_time).select(dims).n_unique(),
        "flags": dict(frame.group_by("flags").len().iter_rows()),
        "conf_status": dict(frame.group_by("conf_status").len().iter_rows()),
        "by_time": {t: [int(c), float(s)] for t, c, s in by_time.iter_rows()},
        # each value weighted by the length of its geography code: a value moved to another
        # series or period changes it
        "weighted": float(
            frame.select((pl.col("value") * pl.col(dims[-1]).str.len_chars()).sum()).item()
        ),
    }


def _merge(parts: list[dict]) -> dict:
    """One checksum from the batches' parts: counts and sums added; series counted in the
    first period of the whole file."""
    first_time = min(p["first_time"] for p in parts)
    total: dict = {
        "rows": 0,
        "missing": 0,
        "series": 0,
        "flags": {},
        "conf_status": {},
        "by_time": {},
    }
    weighted = 0.0
    for part in parts:
        total["rows"] += part["rows"]
        total["missing"] += part["missing"]
        total["series"] += part["series"] if part["first_time"] == first_time else 0
        for column in ("flags", "conf_status"):
            for code, n in part[column].items():
                total[column][code] = total[column].get(code, 0) + int(n)
        for period, (count, value) in part["by_time"].items():
            count0, value0 = total["by_time"].get(period, (0, 0.0))
            total["by_time"][period] = [count0 + count, value0 + value]
        weighted += part["weighted"]
    total["weighted"] = weighted
    return total


def _checksum_pandas(long, dims: list[str]) -> dict:
    from pipelines.sources.eurostat.parsing import normalise_period

    settled = settle_pandas(long["value"], long["flags"], long["conf_status"])
    long["value"], long["flags"], long["conf_status"], _ = settled

    periods = {t: normalise_period(t) for t in long["time"].unique()}
    time_ = long["time"].map(periods)
    by_time = long.groupby(time_)["value"].agg(["count", "sum"])
    first = long[time_ == min(periods.values())]
    return {
        "rows": len(long),
        "missing": int(long["value"].isna().sum()),
        "series": len(first[dims].drop_duplicates()),
        "flags": {str(f): int(n) for f, n in long["flags"].value_counts().items()},
        "conf_status": {str(c): int(n) for c, n in long["conf_status"].value_counts().items()},
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


def _ours(path: Path, checksum: bool = False) -> dict:
    """parse_stream on the file as the ingest reads it, each batch let go before the next
    ones are parsed. Timed runs only count the observations; the checksum run (`--check`)
    computes each batch's part of the checksum as the batch arrives (its figures are not
    used: the checksum's group-bys would be timed with the parse)."""
    from pipelines.sources.eurostat.parsing import dataset_code_from_name, parse_stream

    code = dataset_code_from_name(path.name)

    def consume() -> list[dict]:
        stream = parse_stream(path, str(path), code)
        if checksum:
            return [_partial(frame, stream.dimensions) for frame in stream]
        return [{"rows": sum(frame.height for frame in stream)}]

    parts, figures = _timed(consume)
    if not checksum:
        return figures | {"rows": parts[0]["rows"]}
    return figures | {"checksum": _rounded(_merge(parts))}


def _whole(path: Path) -> dict:
    from pipelines.sources.eurostat.parsing import dataset_code_from_name, parse_bytes

    code = dataset_code_from_name(path.name)
    parsed, figures = _timed(lambda: parse_bytes(path.read_bytes(), str(path), code))
    return figures | {"checksum": _rounded(_checksum_polars(parsed.frame, parsed.dimensions))}


def _rounded(checksum: dict) -> dict:
    """Sums to 12 significant digits: the same observations added in other batches give the
    same checksum (the comparison with pandas allows the same relative difference)."""
    checksum["by_time"] = {t: [c, float(f"{s:.12g}")] for t, (c, s) in checksum["by_time"].items()}
    checksum["weighted"] = float(f"{checksum['weighted']:.12g}")
    return checksum


def _pandas(path: Path) -> dict:
    import pandas  # noqa: F401  (imported before the clock starts, as polars is for ours)

    (long, dims), figures = _timed(lambda: pandas_melt(path.read_bytes()))
    return figures | {"checksum": _checksum_pandas(long, dims)}


if __name__ == "__main__" and len(sys.argv) == 3:
    modes = {
        "--ours": _ours,
        "--check": lambda path: _ours(path, checksum=True),
        "--whole": _whole,
        "--pandas": _pandas,
    }
    print(json.dumps(modes[sys.argv[1]](Path(sys.argv[2]))))
