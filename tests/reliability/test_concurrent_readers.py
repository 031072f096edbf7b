"""While refreshes publish again and again, readers never fail and never see a mix: each read
sees one publication throughout (through `monitor query` and plain read-only DuckDB).

Both readers read back to back while a refresh writes the publication (its
`publication__monitor_db` step), and at a pace otherwise: the in-process reader every
IN_PROCESS_PACE_S, the command reader (a `monitor query` process costs ~0.7 s of a core to
start) every PACE_S. The trial then leaves the refreshes, and the other test worker, their
cores during the steps that never touch the published file."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from pipelines.cli.query import run_query
from tests.conftest import REPO
from tests.reliability import figures
from tests.reliability.helpers import Refresh, deliveries, environment

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(2400)]

PUBLISHING = "publication__monitor_db          "  # the step that writes the published file
PACE_S = 2.0
IN_PROCESS_PACE_S = 0.05

CONSISTENT = """
select i.publication_id, l.table_rows, (select count(*) from fct_indicator_values) as facts,
       (select count(*) from dim_indicator) as indicators
from publication_info i join publication_log l using (publication_id)
"""


def check(row) -> str:
    publication_id, table_rows, facts, indicators = row
    counts = json.loads(table_rows)
    assert counts["fct_indicator_values"] == facts and counts["dim_indicator"] == indicators
    return publication_id


def test_readers_during_repeated_publications(tmp_path):
    home = tmp_path / "home"
    a, b = deliveries(tmp_path / "deliveries")
    assert Refresh(home, f"dir:{a}").finish() == 0
    db = home / "published" / "monitor.duckdb"
    stop = threading.Event()
    seen: set[str] = set()
    failures: list[str] = []
    counts = {"monitor query (in process)": 0, "duckdb read-only": 0, "monitor query (command)": 0}
    publishing = threading.Event()  # set while a refresh writes the publication
    while_publishing = {"in process": 0, "command": 0}

    def in_process_reader() -> None:
        while not stop.is_set() or counts["monitor query (in process)"] < 600:
            try:
                _, rows = run_query(db, CONSISTENT)
                seen.add(check(rows[0]))
                con = duckdb.connect(str(db), read_only=True)
                try:
                    seen.add(check(con.execute(CONSISTENT).fetchall()[0]))
                finally:
                    con.close()
                counts["monitor query (in process)"] += 1
                counts["duckdb read-only"] += 1
                while_publishing["in process"] += publishing.is_set()
                if not publishing.is_set():
                    publishing.wait(IN_PROCESS_PACE_S)
            except Exception as exc:  # every failure is counted and reported, none hidden
                failures.append(f"{type(exc).__name__}: {exc}")

    def command_reader() -> None:
        while not stop.is_set() or counts["monitor query (command)"] < 20:
            if not stop.is_set() and not publishing.is_set():
                publishing.wait(PACE_S)  # back to back once a publication is being written
            started_publishing = publishing.is_set()
            result = subprocess.run(
                [sys.executable, "-m", "pipelines.cli", "query", "--csv", CONSISTENT],
                cwd=REPO,
                env=environment(home),
                capture_output=True,
                text=True,
                timeout=120,
            )
            if result.returncode != 0:
                failures.append(result.stderr[-500:])
            counts["monitor query (command)"] += 1
            while_publishing["command"] += started_publishing or publishing.is_set()

    readers = [threading.Thread(target=in_process_reader), threading.Thread(target=command_reader)]
    for reader in readers:
        reader.start()
    publications = 0
    started = time.monotonic()
    for i in range(4):
        refresh = Refresh(home, f"dir:{b if i % 2 == 0 else a}")
        if refresh.wait_for(PUBLISHING + "start"):
            publishing.set()
            refresh.wait_for(PUBLISHING + "done")
        publishing.clear()
        assert refresh.finish() == 0, "".join(refresh.lines[-30:])
        publications += 1
    stop.set()
    for reader in readers:
        reader.join(timeout=600)
    total = sum(counts.values())
    print(
        f"\nreader queries: {total} ({counts}), failed: {len(failures)}, publications: "
        f"{publications + 1}, publication ids seen: {len(seen)}, {time.monotonic() - started:.0f}s;"
        f" while a publication was written: {while_publishing}"
    )
    figures.count("reader queries failed", len(failures), total)
    assert not failures, failures[:5]
    assert total >= 1000
    assert len(seen) >= 2, "readers saw publications change"
    # both readers really read while publications were written, not only between them
    assert while_publishing["in process"] >= 4 and while_publishing["command"] >= 4, (
        while_publishing
    )
