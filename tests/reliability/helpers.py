"""Shared by the reliability trials: two alternating deliveries (so every refresh has work to
do), a published-database integrity check, and a refresh process that can be killed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from tests.conftest import REPO, copy_sample


def deliveries(root: Path) -> tuple[Path, Path]:
    """Folder A is the sample; folder B differs in one cell, so A/B/A/... each make a new vintage."""
    a = copy_sample(root / "a")
    b = copy_sample(root / "b")
    path = b / "SAMPLE_lfst_r_lfe2emprt.tsv"
    lines = path.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("PC,T,Y20-64,BE2\t"))
    cells = lines[row].split("\t")
    value, _, flags = cells[1].strip().partition(" ")
    cells[1] = f"{float(value) + 0.3:.1f} {flags}".rstrip() + (" " if not flags else "")
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return a, b


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "MONITOR_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    env.pop("MONITOR_PUBLISHED_DB", None)
    return env


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def publication_state(db: Path) -> str:
    """The publication id of a complete publication, or raise AssertionError."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        (publication_id,) = con.execute("select publication_id from publication_info").fetchall()[0]
        rows = con.execute(
            "select table_rows from publication_log where publication_id = ?", [publication_id]
        ).fetchall()
        assert rows, f"publication {publication_id} is not in its own log"
        counts = json.loads(rows[0][0])
        assert counts.get("fct_indicator_values", 0) > 0
        for table, expected in counts.items():
            found = con.execute(f"select count(*) from {table}").fetchall()[0][0]
            assert found == expected, f"{table}: {found} rows, the log says {expected}"
        return publication_id
    finally:
        con.close()


class Refresh:
    """`monitor refresh` in its own process group, its stderr progress followed line by line."""

    def __init__(self, home: Path, source: str) -> None:
        self.lines: list[str] = []
        self.ended = False
        self.seen = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "refresh", "--source", source],
            cwd=REPO,
            env=environment(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self.seen:
                self.lines.append(line)
                self.seen.notify_all()
        self.proc.wait()  # stderr closes just before the process ends
        with self.seen:
            self.ended = True
            self.seen.notify_all()

    def wait_for(self, marker: str, timeout: float = 600) -> bool:
        """Block until a progress line contains `marker` (False if the run ended first)."""
        deadline = time.monotonic() + timeout
        with self.seen:
            while not any(marker in line for line in self.lines):
                if self.ended:
                    return False
                if not self.seen.wait(timeout=max(0.0, deadline - time.monotonic())):
                    return False
            return True

    def current_step(self) -> str:
        with self.seen:
            steps = [line.split()[1] for line in self.lines if line.strip().endswith(" start")]
        return steps[-1] if steps else "(startup)"

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.killpg(self.proc.pid, signal.SIGKILL)  # the refresh and its dbt child
        self.proc.wait(timeout=60)
        self.reader.join(timeout=10)

    def finish(self, timeout: float = 900) -> int:
        self.proc.wait(timeout=timeout)
        self.reader.join(timeout=10)
        return self.proc.returncode
