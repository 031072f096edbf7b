"""Parse throughput on the largest real Eurostat file: our parser vs a plain pandas
read-and-melt of the same (decompressed) bytes, in the same run.

    .venv/bin/python benchmarks/parse_throughput.py [--repeat 7] [--data DIR]

Prints a table and writes bench-results/parse_throughput-<time>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipelines.parsing import parse_bytes

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(
    os.environ.get("MONITOR_SHARED_DATA", REPO.parent / "shared" / "data" / "eurostat")
)


def largest_file(folder: Path) -> tuple[Path, bytes]:
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".tsv", ".gz")]
    if not files:
        raise SystemExit(f"no Eurostat TSV files in {folder}")
    loaded = [
        (p, gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()) for p in files
    ]
    return max(loaded, key=lambda item: len(item[1]))


def ours(data: bytes) -> int:
    return parse_bytes(data, "bench").rows


def pandas_melt(data: bytes) -> int:
    """read_csv + split the series key + melt + split value and flags: the same long table."""
    frame = pd.read_csv(io.BytesIO(data), sep="\t", dtype=str)
    key = frame.columns[0]
    dims = key.split("\\")[0].split(",")
    frame[dims] = frame[key].str.split(",", expand=True)
    long = frame.drop(columns=[key]).melt(id_vars=dims, var_name="time", value_name="cell")
    long["time"] = long["time"].str.strip()
    parts = long["cell"].str.strip().str.extract(r"^(\S+)\s*(\S*)$")
    long["value"] = pd.to_numeric(parts[0].where(parts[0] != ":"), errors="raise")
    long["flags"] = parts[1].fillna("")
    return len(long)


def measure(fn, data: bytes, repeat: int) -> tuple[list[float], int]:
    fn(data)  # warm-up (imports, caches)
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = fn(data)
        times.append(time.perf_counter() - started)
    return times, rows


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=7)
    args.add_argument("--data", type=Path, default=DEFAULT_DATA)
    opts = args.parse_args()
    path, data = largest_file(opts.data)
    megabytes = len(data) / 1e6
    results = []
    for name, fn in (("ours (polars)", ours), ("pandas read+melt", pandas_melt)):
        times, rows = measure(fn, data, opts.repeat)
        median = statistics.median(times)
        results.append(
            {
                "parser": name,
                "rows": rows,
                "median_s": median,
                "min_s": min(times),
                "mb_per_s": megabytes / median,
            }
        )
    print(f"file: {path.name} ({megabytes:.2f} MB decompressed), {opts.repeat} runs each")
    print(f"{'parser':<20} {'rows':>8} {'median s':>10} {'MB/s':>8}")
    for r in results:
        print(f"{r['parser']:<20} {r['rows']:>8} {r['median_s']:>10.4f} {r['mb_per_s']:>8.1f}")
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    record = {
        "benchmark": "parse_throughput",
        "at": stamp,
        "file": path.name,
        "decompressed_bytes": len(data),
        "repeat": opts.repeat,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": results,
    }
    target = out / f"parse_throughput-{stamp}.json"
    target.write_text(json.dumps(record, indent=2))
    print(f"written: {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
