"""Time per test file (setup, call and teardown of its tests summed, as the worker that ran
the file spent it): printed after the run and written to test-output/durations-by-file.json,
so a change to the suite's speed is compared file by file."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

_seconds: dict[str, float] = defaultdict(float)
_tests: dict[str, set[str]] = defaultdict(set)


def record(report) -> None:
    path = report.nodeid.split("::", 1)[0]
    _seconds[path] += report.duration
    _tests[path].add(report.nodeid)


def by_file() -> list[tuple[str, float, int]]:
    """(file, seconds, tests), slowest first."""
    rows = [(p, s, len(_tests[p])) for p, s in _seconds.items()]
    return sorted(rows, key=lambda r: -r[1])


def write(folder: Path) -> Path | None:
    rows = by_file()
    if not rows:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "durations-by-file.json"
    doc = [{"file": f, "seconds": round(s, 2), "tests": n} for f, s, n in rows]
    path.write_text(json.dumps(doc, indent=1))
    return path


def lines(top: int = 25) -> list[str]:
    rows = by_file()
    total = sum(s for _, s, _ in rows)
    out = [f"{s:8.1f} s  {n:4d} tests  {f}" for f, s, n in rows[:top]]
    if len(rows) > top:
        rest = rows[top:]
        out.append(
            f"{sum(s for _, s, _ in rest):8.1f} s  {sum(n for *_, n in rest):4d} tests  "
            f"({len(rest)} other files)"
        )
    out.append(f"{total:8.1f} s  in all, {len(rows)} files (both workers' time summed)")
    return out
