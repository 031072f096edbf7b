"""Two refreshes started together on one warehouse: the second waits for the first, both
publish complete publications one after the other, and nothing is corrupted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_two_simultaneous_refreshes(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "MONITOR_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    env.pop("MONITOR_PUBLISHED_DB", None)
    procs = [
        subprocess.Popen(
            # --force: the second would otherwise find nothing changed and publish nothing
            [sys.executable, "-m", "pipelines.cli", "refresh", "--force"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=900) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, out[-2000:] + err[-2000:]
    assert sum("waiting for the warehouse" in err for _, err in outputs) == 1

    ledger = [
        json.loads(line)
        for line in (home / "ledger" / "publications.jsonl").read_text().splitlines()
    ]
    published = [e for e in ledger if e["status"] == "published"]
    assert len(published) == 2
    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        publication_id = con.execute("select publication_id from publication_info").fetchall()[0][0]
        counts = json.loads(
            con.execute(
                "select table_rows from publication_log where publication_id = ?", [publication_id]
            ).fetchall()[0][0]
        )
        assert counts, "the publication records its tables"
        for table, rows in counts.items():
            assert con.execute(f"select count(*) from {table}").fetchall()[0][0] == rows, table
    finally:
        con.close()
    assert publication_id == published[-1]["publication_id"]
    assert not list((home / "published").glob(".*.tmp*"))
