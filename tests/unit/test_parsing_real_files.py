"""The parser on real Eurostat files (../shared/data/eurostat), checked cell by cell."""

from __future__ import annotations

import gzip

import polars as pl
import pytest

from pipelines.sources.eurostat.parsing import parse_bytes, parse_file


def cell(frame: pl.DataFrame, **codes) -> dict:
    rows = frame.filter(pl.all_horizontal(*(pl.col(k) == v for k, v in codes.items())))
    assert rows.height == 1, f"expected one observation for {codes}, got {rows.height}"
    return rows.row(0, named=True)


def test_trng_lfse_04_known_cells(shared_data):
    parsed = parse_file(shared_data / "trng_lfse_04.tsv.gz")
    assert parsed.format == "eurostat-tsv-bulk"
    assert parsed.dimensions == ["unit", "sex", "age", "geo"]
    row = cell(parsed.frame, sex="T", age="Y25-64", geo="BE2", time="2015")
    assert row["value"] == 7.0 and row["flags"] == ""
    row = cell(parsed.frame, sex="T", age="Y25-64", geo="BE2", time="2004")
    assert row["value"] == 9.8 and row["flags"] == "b"
    row = cell(parsed.frame, sex="F", age="Y25-64", geo="AT", time="2006")
    assert row["value"] == 14.1 and row["flags"] == "b"


def test_every_cell_is_one_observation(shared_data):
    parsed = parse_file(shared_data / "trng_lfse_04.tsv.gz")
    with gzip.open(shared_data / "trng_lfse_04.tsv.gz", "rt") as handle:
        lines = handle.read().splitlines()
    periods = len(lines[0].split("\t")) - 1
    assert parsed.rows == (len(lines) - 1) * periods


def test_missing_values_keep_their_flags(shared_data):
    frame = parse_file(shared_data / "tgs00010.tsv").frame
    row = cell(frame, unit="PC", age="Y_GE15", sex="F", geo="AT11", time="2007")
    assert row["value"] is None and row["flags"] == "bu"
    row = cell(frame, unit="PC", age="Y_GE15", sex="F", geo="AT11", time="2008")
    assert row["value"] is None and row["flags"] == "u"
    row = cell(frame, unit="PC", age="Y_GE15", sex="F", geo="AT11", time="2006")
    assert row["value"] == 6.4 and row["flags"] == "u"


def test_years_in_either_order(shared_data):
    ascending = parse_file(shared_data / "tgs00010.tsv")  # 2006 ... 2017
    descending = parse_file(shared_data / "lfst_r_lfu3rt.tsv")  # 2013 ... 1999
    assert ascending.frame["time"].min() == "2006" and ascending.frame["time"].max() == "2017"
    assert descending.frame["time"].min() == "1999" and descending.frame["time"].max() == "2013"
    row = cell(descending.frame, age="Y15-24", sex="F", geo="AT", time="2013")
    assert row["value"] == 9.4 and row["flags"] == "b"


def test_gzip_and_plain_give_the_same_observations(shared_data):
    raw = (shared_data / "ilc_li41.tsv").read_bytes()
    plain = parse_bytes(raw, "plain", "ilc_li41")
    zipped = parse_bytes(gzip.compress(raw), "zipped", "ilc_li41")
    assert plain.frame.equals(zipped.frame)
    row = cell(plain.frame, unit="PC_LW95", geo="AT", time="2014")
    assert row["value"] == 13.2 and row["flags"] == "e"


def test_sdmx_csv_real_file(shared_data):
    parsed = parse_file(shared_data / "une_rt_a_sample.sdmx.csv")
    assert parsed.format == "sdmx-csv"
    assert parsed.dataset == "une_rt_a"
    assert parsed.rows == 199
    assert parsed.last_update is not None and parsed.last_update.year == 2026
    row = cell(parsed.frame, age="Y15-24", unit="PC_ACT", sex="F", geo="AT", time="2009")
    assert row["value"] == 10.5


def test_data_explorer_export_is_read_with_a_warning(shared_data):
    parsed = parse_file(shared_data / "lfst_r_lfu3rt_1_Data.csv")
    assert parsed.format == "data-explorer-csv"
    assert any("labels, not codes" in w for w in parsed.warnings)
    row = cell(parsed.frame, geo="BE10", time="2004")
    assert row["value"] == 13.5


@pytest.mark.parametrize("name", ["earlier.tsv", "later.tsv.gz"])
def test_two_vintages_parse(shared_data, name):
    parsed = parse_file(
        shared_data / "ilc_mddd21_two_vintages" / f"ilc_mddd21_{name}", dataset="ilc_mddd21"
    )
    assert parsed.dataset == "ilc_mddd21"
    assert parsed.frame.filter(pl.col("geo") == "BE2").height > 0
