"""What every benchmark shares: figures with their baseline and goal, measured subprocesses
(wall time, CPU time, peak memory via `os.wait4`), and a session with scratch folders.

A benchmark is a module `benchmarks/<name>.py` with `run(session) -> list[Figure]`; `make
bench` (python -m benchmarks) finds and runs every such module. Each figure is compared with
a baseline measured in the same run on the same machine, never with a stored number.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = REPO / "bench-results"
BIN = Path(sys.executable).parent


class Skip(Exception):  # noqa: N818 (not an error: a benchmark that cannot run here)
    """Raised by a benchmark's `run` when it cannot run on this machine (an input is absent):
    `make bench` prints the reason, records it and goes on; no figures, no failure."""


@dataclass(frozen=True)
class Goal:
    """`max_ratio`: value/baseline <= limit; `min_speedup`: baseline/value >= limit;
    `max_value`: value <= limit, `min_value`: value >= limit (in the figure's unit, e.g. a
    throughput in MB/s)."""

    kind: str
    limit: float

    def met(self, value: float, baseline: float | None) -> bool | None:
        if self.kind == "max_value":
            return value <= self.limit
        if self.kind == "min_value":
            return value >= self.limit
        if not baseline or not value:
            return None
        if self.kind == "max_ratio":
            return value / baseline <= self.limit
        return baseline / value >= self.limit

    def text(self, unit: str) -> str:
        if self.kind == "max_value":
            return f"<= {self.limit:g} {unit}"
        if self.kind == "min_value":
            return f">= {self.limit:g} {unit}"
        if self.kind == "max_ratio":
            return f"<= {self.limit:g}x baseline"
        return f">= {self.limit:g}x faster"


@dataclass
class Figure:
    name: str
    value: float
    unit: str = "s"
    baseline: str | None = None
    baseline_value: float | None = None
    goal: Goal | None = None
    peak_mb: float | None = None
    note: str = ""
    cpu_s: float | None = None  # user + system time: less sensitive to a busy machine
    baseline_cpu_s: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_value in (None, 0) or self.value is None:
            return None
        return self.value / self.baseline_value

    @property
    def met(self) -> bool | None:
        return self.goal.met(self.value, self.baseline_value) if self.goal else None

    def to_json(self) -> dict:
        doc = asdict(self)
        doc.update(
            goal=self.goal.text(self.unit) if self.goal else None,
            ratio=self.ratio,
            met=self.met,
        )
        return doc


@dataclass
class Run:
    """One measured subprocess."""

    wall_s: float
    cpu_s: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str

    def check(self, what: str) -> Run:
        if self.returncode != 0:
            raise RuntimeError(
                f"{what} failed ({self.returncode}):\n{self.stdout[-2000:]}\n{self.stderr[-3000:]}"
            )
        return self


def measure(
    cmd: list[str], env: dict | None = None, cwd: Path = REPO, timeout: float = 3600
) -> Run:
    """Run `cmd`, returning its wall time, CPU time (user + system, its children included) and
    peak resident memory (the largest of the process and its children), as measured by a
    small wrapper process (benchmarks/_measure.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "stats.json"
        wrapped = [sys.executable, "-I", str(HERE / "_measure.py"), str(stats), *cmd]
        try:
            proc = subprocess.run(
                wrapped,
                cwd=cwd,
                env=env,
                capture_output=True,
                timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"{' '.join(cmd)} took more than {timeout}s") from exc
        numbers = json.loads(stats.read_text())
    return Run(
        wall_s=numbers["wall_s"],
        cpu_s=numbers["cpu_s"],
        peak_mb=numbers["peak_mb"],
        returncode=proc.returncode,
        stdout=proc.stdout.decode(errors="replace"),
        stderr=proc.stderr.decode(errors="replace"),
    )


def median(values: list[float]) -> float:
    return percentile(values, 50)


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Session:
    """Shared by the benchmarks of one `make bench`: scratch space and the sample publication."""

    quick: bool = False
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="monitor-bench-")))
    _published: Path | None = None

    def env(self, **extra: str) -> dict[str, str]:
        """This environment without the caller's MONITOR_* settings, plus `extra`."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MONITOR_", "DAGSTER_"))}
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def home_env(self, home: Path, **extra: str) -> dict[str, str]:
        (home / "dagster").mkdir(parents=True, exist_ok=True)
        return self.env(MONITOR_HOME=str(home), DAGSTER_HOME=str(home / "dagster"), **extra)

    def fresh(self, name: str) -> Path:
        path = self.scratch / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def published_home(self) -> Path:
        """A MONITOR_HOME with the bundled sample refreshed and published (built once)."""
        if self._published is None:
            home = self.fresh("published") / "home"
            measure([str(BIN / "monitor"), "refresh"], env=self.home_env(home)).check(
                "monitor refresh (sample)"
            )
            self._published = home
        return self._published

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]
