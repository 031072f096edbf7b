"""The raw load of a TSV parsed batch by batch: confidential cells arrive with their status,
an answer with no data is a vintage of zero observations, a parse error in a later batch
leaves the warehouse as it was, and a raw table from before conf_status gains the column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.sources.eurostat.parsing import ParseError, eurostat_tsv, parse_bytes, parse_stream
from pipelines.sources.raw_tables import load_observations, raw_table, vintages_table
from pipelines.sources.store import store_snapshot

HEADER = b"freq,unit,geo\\TIME_PERIOD\t2023 \t2024 \n"
CELLS = [": @C", "12.3 p@C", "7.5 ", ": u", "4 c", "1 b"]
DATA = HEADER + b"".join(
    f"A,PC,G{i:03d}\t{CELLS[i % 6]}\t{CELLS[(i + 1) % 6]}\n".encode() for i in range(40)
)
OBS, VINT = raw_table("eurostat", "x"), vintages_table("eurostat", "x")


def load(con, tmp_path: Path, data: bytes, batch: int = 2) -> tuple[bool, int]:
    snap, _ = store_snapshot(
        tmp_path / "raw",
        source="eurostat",
        dataset="x",
        data=data,
        filename="x.tsv",
        mode="dir",
        origin="test",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", batch)
        return load_observations(con, "eurostat", snap, parse_stream(data, str(snap.file)))


def rows(con) -> list[tuple]:
    return con.execute(
        f"select dims['freq'], dims['unit'], geo, time, value, flags, conf_status from {OBS} "
        "order by geo, time"
    ).fetchall()


def test_batches_load_what_the_whole_parse_holds(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert load(con, tmp_path, DATA) == (True, 80)
    assert rows(con) == parse_bytes(DATA, "x.tsv").frame.rows()
    confidential = con.execute(
        f"select count(*), count(value) from {OBS} where conf_status in ('C')"
    ).fetchone()
    assert confidential == (40, 0)  # `: @C`, `12.3 p@C` and the old `4 c`: no value


def test_an_answer_with_no_data_is_a_vintage_of_zero_observations(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load(con, tmp_path, DATA)
    assert load(con, tmp_path, b"freq,unit,geo\\TIME_PERIOD\n\n") == (True, 0)
    current = con.execute(f"select observations from {VINT} where is_current").fetchall()
    assert current == [(0,)]
    assert con.execute(f"select count(*) from {OBS}").fetchone() == (80,)  # kept


def test_a_parse_error_in_a_later_batch_loads_nothing(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load(con, tmp_path, DATA)
    broken = DATA + b"A,PC,G999\t1 \tabc \n"
    with pytest.raises(ParseError, match="abc") as info:
        load(con, tmp_path, broken)
    assert info.value.line == 42
    assert con.execute(f"select count(*) from {VINT}").fetchone() == (1,)
    assert con.execute(f"select count(*) from {OBS}").fetchone() == (80,)


def test_a_raw_table_from_before_conf_status_gains_the_column(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw")
    con.execute(
        f"""create table {OBS} (snapshot_id varchar, dims map(varchar, varchar), geo varchar,
        time varchar, value double, flags varchar)"""
    )
    con.execute(f"insert into {OBS} values ('old', map(['freq'], ['A']), 'BE', '2020', 1, '')")
    load(con, tmp_path, DATA)
    old = con.execute(f"select conf_status from {OBS} where snapshot_id = 'old'").fetchall()
    assert old == [(None,)]
    assert con.execute(f"select count(conf_status) from {OBS}").fetchone() == (80,)
