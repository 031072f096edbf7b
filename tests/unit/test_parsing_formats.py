"""Formats with no real file in ../shared: fixtures we wrote from Eurostat's documentation."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.sources.eurostat.parsing import (
    dataset_code_from_name,
    detect_format,
    normalise_period,
    parse_file,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_current_api_tsv_with_quarters():
    parsed = parse_file(FIXTURES / "lfsq_current_api.tsv")
    assert parsed.format == "eurostat-tsv-sdmx"
    assert parsed.dimensions == ["freq", "unit", "sex", "age", "geo"]
    rows = {
        (r["geo"], r["time"]): (r["value"], r["flags"]) for r in parsed.frame.iter_rows(named=True)
    }
    assert rows[("BE2", "2023-Q4")] == (77.5, "p")
    assert rows[("BE2", "2024-Q1")] == (None, "c")
    assert rows[("BE", "2024-Q1")] == (72.4, "bp")
    assert parsed.rows == 6


def test_jsonstat_sparse_values_and_status():
    parsed = parse_file(FIXTURES / "jsonstat_small.json")
    assert parsed.format == "json-stat"
    assert parsed.dataset == "lfst_r_lfe2emprt"
    assert parsed.last_update is not None and parsed.last_update.year == 2026
    rows = {
        (r["geo"], r["time"]): (r["value"], r["flags"]) for r in parsed.frame.iter_rows(named=True)
    }
    assert rows == {
        ("BE", "2022"): (71.9, ""),
        ("BE", "2023"): (72.1, ""),
        ("BE", "2024"): (None, "c"),
        ("BE2", "2022"): (76.8, "b"),
        ("BE2", "2023"): (77.6, ""),
        ("BE2", "2024"): (77.9, "p"),
    }


def test_period_codes_are_normalised():
    assert normalise_period("2015 ") == "2015"
    assert normalise_period("2015Q1") == "2015-Q1"
    assert normalise_period("2015-Q4") == "2015-Q4"
    assert normalise_period("2015M07") == "2015-07"
    assert normalise_period("2015-07") == "2015-07"
    assert normalise_period("2015S2") == "2015-S2"
    assert normalise_period("15") is None
    assert normalise_period("2015Q5") is None


def test_detection_and_dataset_names():
    assert detect_format(b"unit,geo\\time\t2015 \nPC,BE\t1 \n") == "eurostat-tsv"
    assert detect_format(b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE\r\n") == "sdmx-csv"
    assert detect_format(b'  {"class": "dataset"}') == "json-stat"
    assert detect_format(b"hello,world\n") is None
    assert dataset_code_from_name("SAMPLE_trng_lfse_04.tsv.gz") == "trng_lfse_04"
    assert dataset_code_from_name("une_rt_a.sdmx.csv") == "une_rt_a"
    assert dataset_code_from_name("ILC_LI41.TSV") == "ilc_li41"


def test_output_columns_are_dimensions_time_value_flags_conf_status():
    parsed = parse_file(FIXTURES / "lfsq_current_api.tsv")
    dims = ["freq", "unit", "sex", "age", "geo"]
    assert parsed.frame.columns == [*dims, "time", "value", "flags", "conf_status"]
    assert parsed.frame.schema["value"] == pl.Float64
