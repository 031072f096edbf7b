"""Shared fixtures: the real Eurostat files in ../shared/data (skipped cleanly when absent),
an isolated MONITOR_HOME per test, and one published sample refresh per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("MONITOR_SHARED_DATA", REPO.parent / "shared" / "data" / "eurostat")
)
SAMPLE_EUROSTAT = REPO / "pipelines" / "sample" / "eurostat"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real Eurostat files not available at {SHARED_DATA} (../shared is absent)")
    return SHARED_DATA


@pytest.fixture
def monitor_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MONITOR_HOME", str(home))
    monkeypatch.delenv("MONITOR_PUBLISHED_DB", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home


def monitor_cmd(
    *args: str, home: Path, check: bool = False, timeout: int = 600, env: dict | None = None
):
    """Run the `monitor` console command in a subprocess with MONITOR_HOME=home."""
    environ = {
        **os.environ,
        "MONITOR_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        **(env or {}),
    }
    environ.pop("MONITOR_PUBLISHED_DB", None) if "MONITOR_PUBLISHED_DB" not in (env or {}) else None
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"monitor {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="session")
def published_home(tmp_path_factory) -> Path:
    """One refresh of the bundled sample, shared by read-only tests."""
    home = tmp_path_factory.mktemp("published") / "home"
    monitor_cmd("refresh", home=home, check=True)
    return home


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in SAMPLE_EUROSTAT.iterdir():
        shutil.copy(path, target / path.name)
    return target


# The longest files first (seconds per file in `make test` on a fresh clone of 274fa8e):
# pytest-xdist hands out whole files (--dist loadfile) in collection order, so a long file
# collected last (the reliability trials are) leaves one worker running it alone at the end.
LONGEST_FIRST = (
    "tests/engines/test_spark_engine.py",  # 375 s
    "tests/quality/test_tamper_corpus.py",  # 374 s
    "tests/quality/test_bad_input_corpus.py",  # 362 s
    "tests/reliability/test_crash_safety.py",  # 345 s
    "tests/integration/test_live_refresh.py",  # 188 s
    "tests/reliability/test_concurrent_readers.py",  # 178 s
    "tests/integration/test_quarantine_trial.py",  # 103 s
    "tests/engines/test_postgres_engine.py",  # 75 s
)


def pytest_collection_modifyitems(session, config, items):
    """Run the files of LONGEST_FIRST before the others (a stable sort: the order of the
    tests within a file, and of the other files, is kept)."""
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_sessionstart(session):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        from tests.reliability import figures

        figures.clear()


def pytest_runtest_logreport(report):
    from tests.support import durations

    durations.record(report)


def pytest_sessionfinish(session):
    from tests.reliability import figures

    figures.write()
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        from tests.support import durations

        durations.write(REPO / "test-output")


def pytest_terminal_summary(terminalreporter):
    """Print the reliability figures (tests/reliability/figures.py) when trials ran, and the
    time per test file."""
    from tests.reliability import figures

    found = figures.lines()
    if found:
        terminalreporter.section("reliability figures")
        for line in found:
            terminalreporter.write_line(line)
    from tests.support import durations

    per_file = durations.lines()
    if len(per_file) > 2:
        terminalreporter.section("time per test file (test-output/durations-by-file.json)")
        for line in per_file:
            terminalreporter.write_line(line)
