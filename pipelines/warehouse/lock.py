"""One writer at a time: an exclusive lock on the warehouse folder for the whole run.

DuckDB allows one writing process per file, and a refresh is a sequence of steps that must
not interleave with another refresh's steps. Every run that writes the warehouse (from
`monitor`, the Dagster UI or the daemon) holds `$MONITOR_HOME/.warehouse.lock` (an `flock`,
released by the kernel if the process dies, so a killed run never leaves a stale lock).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseLocked(RuntimeError):
    """Another run held the warehouse for longer than we were willing to wait."""


def lock_path(home: Path) -> Path:
    return home / ".warehouse.lock"


def holder(home: Path) -> dict:
    """Who holds (or last held) the lock: pid, run, since."""
    try:
        return json.loads(lock_path(home).read_text() or "{}")
    except (OSError, ValueError):
        return {}


@contextmanager
def warehouse_lock(
    home: Path,
    who: str,
    timeout_s: float = 3600.0,
    on_wait: Callable[[dict], None] | None = None,
) -> Iterator[None]:
    """Hold the warehouse lock; wait up to `timeout_s` for another run to finish."""
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(home), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, home, timeout_s, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {"pid": os.getpid(), "holder": who, "since": datetime.now(UTC).isoformat()}
            ).encode(),
            0,
        )
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, home: Path, timeout_s: float, on_wait) -> None:
    deadline = time.monotonic() + timeout_s
    waited = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            current = holder(home)
            if not waited and on_wait is not None:
                on_wait(current)
            waited = True
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"the warehouse {home} is busy: {current.get('holder', 'another run')} "
                    f"(pid {current.get('pid', '?')}, since {current.get('since', '?')}) held it "
                    f"for more than {timeout_s:.0f}s"
                ) from None
            time.sleep(0.5)
