"""`python -m benchmarks [NAME ...] [--quick]` (`make bench`): run every benchmark module,
write bench-results/<name>.json and bench-results/latest.json, print one table."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness import REPO, RESULTS, Figure, Session, Skip

HERE = Path(__file__).resolve().parent


def discover(folder: Path = HERE) -> dict[str, object]:
    """Modules `benchmarks/*.py` (not starting with `_`) that define `run(session)`."""
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = importlib.import_module(f"{folder.name}.{path.stem}")
        if callable(getattr(module, "run", None)):
            found[path.stem] = module
    return found


def machine() -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
    }


def table(rows: list[tuple[str, Figure]]) -> str:
    head = (
        "benchmark",
        "figure",
        "value",
        "baseline",
        "base value",
        "ratio",
        "goal",
        "met",
        "cpu s (base)",
        "peak MB",
    )
    cells = [head]
    for bench, f in rows:
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        if f.goal and f.goal.kind == "min_speedup" and f.ratio:
            ratio = f"{1 / f.ratio:.1f}x faster"
        met = {True: "yes", False: "NO", None: ""}[f.met]
        cells.append(
            (
                bench,
                f.name + (f" [{f.note}]" if f.note else ""),
                _num(f.value, f.unit),
                f.baseline or "",
                "" if f.baseline_value is None else _num(f.baseline_value, f.unit),
                ratio,
                f.goal.text(f.unit) if f.goal else "",
                met,
                _cpu(f),
                "" if f.peak_mb is None else f"{f.peak_mb:.0f}",
            )
        )
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cpu(f: Figure) -> str:
    if f.cpu_s is None:
        return ""
    base = f" ({f.baseline_cpu_s:.1f})" if f.baseline_cpu_s is not None else ""
    return f"{f.cpu_s:.1f}{base}"


def _num(value: float, unit: str) -> str:
    if unit == "s" and value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.3g} {unit}" if unit != "s" else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller inputs")
    args = parser.parse_args(argv)
    benchmarks = discover()
    unknown = [n for n in args.names if n not in benchmarks]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have {', '.join(benchmarks)}")
        return 2
    RESULTS.mkdir(exist_ok=True)
    session = Session(quick=args.quick)
    rows: list[tuple[str, Figure]] = []
    report = {"started_at": datetime.now(UTC).isoformat(), "machine": machine(), "benchmarks": {}}
    failed = []
    skipped: dict[str, str] = {}
    try:
        for name, module in benchmarks.items():
            if args.names and name not in args.names:
                continue
            print(f"bench: {name} …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            try:
                figures = module.run(session)
            except Skip as why:
                skipped[name] = str(why)
                print(f"bench: {name} skipped: {why}", file=sys.stderr, flush=True)
                figures = []
            except Exception:
                failed.append(name)
                traceback.print_exc()
                figures = []
            doc = {
                "benchmark": name,
                "duration_s": round(time.perf_counter() - started, 1),
                "load_average_after": os.getloadavg(),
                "error": name in failed,
                "skipped": skipped.get(name),
                "figures": [f.to_json() for f in figures],
            }
            (RESULTS / f"{name}.json").write_text(json.dumps(doc, indent=1))
            report["benchmarks"][name] = doc
            rows += [(name, f) for f in figures]
    finally:
        session.close()
    report["machine"]["load_average_after"] = os.getloadavg()
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=1))
    m = report["machine"]
    print(
        f"\nBenchmarks at {m['commit']} on {m['cpus']} CPUs (load average before "
        f"{m['load_average'][0]:.1f}, after {m['load_average_after'][0]:.1f}); "
        f"results in {RESULTS.relative_to(REPO)}/\n"
    )
    print(table(rows))
    for name, why in skipped.items():
        print(f"\nSKIPPED {name}: {why}")
    if failed:
        print(f"\nFAILED to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
