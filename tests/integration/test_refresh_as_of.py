"""`monitor refresh --as-of DATE` rebuilds the marts from the snapshots stored on or before
DATE (no network), publishes them beside the current publication and leaves it alone."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb
import pytest

from pipelines.sources.eurostat.parsing import dataset_code_from_name
from pipelines.sources.store import store_snapshot
from tests.conftest import SAMPLE_EUROSTAT, monitor_cmd

pytestmark = pytest.mark.slow

PAST = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def store_past_vintages(raw_root) -> None:
    """A June vintage of every dataset: the sample, with Flanders' 2024 AROP rate at 12.3."""
    for path in sorted(SAMPLE_EUROSTAT.glob("SAMPLE_*.tsv")):
        data = path.read_bytes()
        if "ilc_li41" in path.name:
            lines = data.decode().splitlines(keepends=True)
            header = [h.strip() for h in lines[0].split("\t")]
            column = header.index("2024")
            for i, line in enumerate(lines):
                if line.startswith("PC,BE2\t"):
                    cells = line.rstrip("\n").split("\t")
                    cells[column] = "12.3 "
                    lines[i] = "\t".join(cells) + "\n"
            data = "".join(lines).encode()
        store_snapshot(
            raw_root,
            source="eurostat",
            dataset=dataset_code_from_name(path.name),
            data=data,
            filename=path.name.removeprefix("SAMPLE_"),
            mode="dir",
            origin="test: June vintage",
            retrieved_at=PAST,
        )


def store_past_deliveries(raw_root) -> None:
    """A June vintage of every spreadsheet delivery: the sample rows, as a producer's file."""
    from pipelines.registry import load_registry
    from pipelines.registry.templates import csv_text
    from pipelines.sources.intake.locate import SAMPLE_FOLDER
    from pipelines.sources.intake.source import check_file

    for code, delivery in load_registry().deliveries.items():
        (path,) = SAMPLE_FOLDER.glob(f"SAMPLE_{code}.*")
        _, frame = check_file(delivery, path)
        rows = [{**r, "data_label": "delivered"} for r in frame.to_dicts()]
        store_snapshot(
            raw_root,
            source=delivery.source,
            dataset=code,
            data=csv_text(delivery, rows).encode(),
            filename=f"{code}.csv",
            mode="dir",
            origin="test: June vintage",
            retrieved_at=PAST,
        )


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_as_of_rebuilds_a_past_vintage_beside_the_current_publication(tmp_path):
    home = tmp_path / "home"
    store_past_vintages(home / "raw")
    store_past_deliveries(home / "raw")
    monitor_cmd("refresh", home=home, check=True)
    current = home / "published" / "monitor.duckdb"
    before = sha(current)

    result = monitor_cmd("refresh", "--as-of", "2026-06-30", home=home)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "as of 2026-06-30" in result.stderr + result.stdout
    past = home / "published" / "as-of" / "2026-06-30" / "monitor.duckdb"
    con = duckdb.connect(str(past), read_only=True)
    try:
        value = con.execute(
            "select value from fct_indicator_values where indicator_id = 'arop' and geo = 'BE2' "
            "and period = '2024' and breakdown = 'total'"
        ).fetchall()
        retrieved = con.execute(
            "select max(retrieved_at), bool_or(is_sample) from dim_snapshot"
        ).fetchall()[0]
    finally:
        con.close()
    assert value == [(12.3,)]
    assert retrieved[0] <= datetime(2026, 6, 30, 23, 59, tzinfo=UTC) and retrieved[1] is False
    assert sha(current) == before

    too_early = monitor_cmd("refresh", "--as-of", "2026-01-01", home=home)
    assert too_early.returncode != 0
    assert "no stored snapshot" in too_early.stdout + too_early.stderr
    assert sha(current) == before
