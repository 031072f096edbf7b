"""Every `monitor` subcommand from a plain shell on a fresh clone: only PATH and HOME in the
environment (plus a fresh MONITOR_HOME), no DAGSTER_HOME, no activated venv. Each ends with
its expected exit code and a message, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

MONITOR = Path(sys.executable).parent / "monitor"
SAMPLE = REPO / "pipelines" / "sample"

# (arguments, expected exit code, text the output must hold), in order, on one MONITOR_HOME
BEFORE_ANY_REFRESH = [
    (["--help"], 0, "usage: monitor"),
    (["status"], 0, "Nothing published yet"),
    (["query", "select 1"], 1, "no published database"),
    (["report"], 1, "nothing published yet"),
    (["publish"], 1, "NOT PUBLISHED"),
    (["quarantine", "list"], 0, "Quarantined snapshots: none"),
    (["quarantine", "drop", "20260101T000000000000Z-0123456789"], 1, "no quarantined snapshot"),
    (["quarantine", "drop"], 2, "needs the snapshot id"),
    (["registry", "check"], 0, "registry OK"),
    (["parse", str(SAMPLE / "eurostat" / "SAMPLE_ilc_li41.tsv")], 0, "PC,BE2,2024"),
    (["parse", "/nonexistent/ilc_li41.tsv"], 2, "cannot read file"),
    (["intake", "check", str(SAMPLE / "intake" / "SAMPLE_vdab_tightness.csv")], 0, "OK"),
    (["refresh", "--source", "dir:/nonexistent"], 2, "is not a folder"),
    (["prepare"], 0, "Dagster instance"),
    (["status"], 0, "Nothing published yet"),  # now with a Dagster instance but no runs
    (["nonsense"], 2, "invalid choice"),
]
AFTER_A_REFRESH = [
    (["status", "--runs", "2"], 0, "Last 2 run(s):"),  # the refused publish and the refresh
    (["query", "select count(*) as n from dim_indicator"], 0, "SAMPLE DATA"),
    (["report"], 0, "report:"),
    (["quarantine", "list"], 0, "Quarantined snapshots: none"),
    (["publish"], 0, "result: PUBLISHED"),
    (["refresh"], 0, "result: UNCHANGED"),
    (["status"], 0, "Published database:"),
]


def plain_shell(home: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home.parent),
        "MONITOR_HOME": str(home),
    }
    return subprocess.run(
        [str(MONITOR), *args],
        cwd=home.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def check(home: Path, args: list[str], code: int, text: str) -> None:
    done = plain_shell(home, *args)
    output = done.stdout + done.stderr
    where = f"monitor {' '.join(args)} (exit {done.returncode}):\n{output[-3000:]}"
    assert "Traceback" not in output, where
    assert done.returncode == code, where
    assert text in output, where


def test_every_command_from_a_plain_shell(tmp_path):
    home = tmp_path / "fresh" / "home"  # MONITOR_HOME itself does not exist yet
    home.parent.mkdir()
    for args, code, text in BEFORE_ANY_REFRESH:
        check(home, args, code, text)
    check(home, ["refresh"], 0, "result: PUBLISHED")
    for args, code, text in AFTER_A_REFRESH:
        check(home, args, code, text)
