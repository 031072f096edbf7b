"""Figures the reliability trials report (kill trials survived / run, reader queries failed /
run, bad inputs refused / tried). Each test process (pytest-xdist worker or a plain run) writes
its counts to test-output/reliability-<process>.json when its session ends; the terminal
summary (tests/conftest.py) adds them up and prints them."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FIGURES: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # name -> [good, total]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def count(name: str, good: int, total: int) -> None:
    """Add `good` out of `total` to the figure `name`."""
    _FIGURES[name][0] += good
    _FIGURES[name][1] += total


@contextmanager
def trial(name: str) -> Iterator[None]:
    """One trial of `name`: good when the block finishes without an assertion failing."""
    good = False
    try:
        yield
        good = True
    finally:
        count(name, int(good), 1)


def clear() -> None:
    """At the start of a run: forget the counts of earlier runs."""
    for path in OUTPUT.glob("reliability-*.json"):
        path.unlink()


def write() -> None:
    """At the end of this process's session: its counts, if any."""
    if _FIGURES:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        name = os.environ.get("PYTEST_XDIST_WORKER", "main")
        (OUTPUT / f"reliability-{name}.json").write_text(json.dumps(dict(_FIGURES)))


def lines() -> list[str]:
    """Every process's counts added up: `name: good/total`."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in sorted(OUTPUT.glob("reliability-*.json")):
        for name, (good, total) in json.loads(path.read_text()).items():
            totals[name][0] += good
            totals[name][1] += total
    return [f"{name}: {good}/{total}" for name, (good, total) in sorted(totals.items())]
