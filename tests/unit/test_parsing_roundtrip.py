"""Property: observations written in each Eurostat format parse back to the same
observations (bulk TSV, SDMX TSV, SDMX-CSV, JSON-stat; gzip or not), confidentiality included
(the current formats write it apart from the flags; the old bulk TSV as the flag `c`)."""

from __future__ import annotations

import gzip

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.sources.eurostat.parsing import CONFIDENTIAL_CODES, parse_bytes
from tests.support.eurostat_formats import legacy_view, to_jsonstat, to_sdmx_csv, to_tsv

CODE = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=8)
FLAGS = st.text("bdefnprsuz", max_size=3).map(lambda s: "".join(dict.fromkeys(s)))
#: mostly none; C and D confidential (then the flag `c` and no value), F free
CONF = st.sampled_from(["", "", "", "C", "D", "F"])
VALUE = st.one_of(
    st.none(),
    st.integers(-(10**7), 10**7).map(lambda n: n / 1000),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
)
PERIODS = st.sampled_from(
    [
        [str(y) for y in range(2000, 2025)],
        [f"{y}-Q{q}" for y in range(2015, 2025) for q in range(1, 5)],
        [f"{y}-{m:02d}" for y in range(2020, 2025) for m in range(1, 13)],
        [f"{y}-S{s}" for y in range(2018, 2025) for s in (1, 2)],
    ]
)


@st.composite
def datasets(draw):
    dims = draw(
        st.lists(
            st.sampled_from(["unit", "sex", "age", "isced11", "c_birth"]), max_size=3, unique=True
        )
    )
    dims = [*dims, "geo"]
    codes = {d: draw(st.lists(CODE, min_size=1, max_size=3, unique=True)) for d in dims}
    all_periods = draw(PERIODS)
    periods = draw(st.lists(st.sampled_from(all_periods), min_size=1, max_size=5, unique=True))
    rows = []
    keys = [[]]
    for d in dims:
        keys = [k + [c] for k in keys for c in codes[d]]
    for key in keys:
        for period in periods:
            value, flags, conf = draw(VALUE), draw(FLAGS), draw(CONF)
            if conf in CONFIDENTIAL_CODES:  # as every format reads a confidential cell
                value, flags = None, flags + "c"
            rows.append((*key, period, value, flags, conf))
    frame = pl.DataFrame(
        rows,
        schema={
            **{d: pl.String for d in dims},
            "time": pl.String,
            "value": pl.Float64,
            "flags": pl.String,
            "conf_status": pl.String,
        },
        orient="row",
    )
    return frame.sort([*dims, "time"]), dims


def meaningful(frame: pl.DataFrame) -> pl.DataFrame:
    """JSON-stat leaves out cells with neither a value nor a status."""
    return frame.filter(
        pl.col("value").is_not_null() | (pl.col("flags") != "") | (pl.col("conf_status") != "")
    )


@settings(max_examples=60, deadline=None)
@given(datasets(), st.booleans())
def test_tsv_bulk_and_sdmx_roundtrip(case, zipped):
    frame, dims = case
    for bulk in (True, False):
        data = to_tsv(frame, dims, bulk=bulk)
        parsed = parse_bytes(gzip.compress(data) if zipped else data, "prop.tsv")
        assert parsed.dimensions == dims
        assert parsed.frame.equals(legacy_view(frame) if bulk else frame)


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_sdmx_csv_roundtrip(case):
    frame, dims = case
    parsed = parse_bytes(to_sdmx_csv(frame, dims, "prop"), "prop.csv")
    assert parsed.frame.equals(frame) and parsed.dataset == "prop"


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_jsonstat_roundtrip(case):
    frame, dims = case
    parsed = parse_bytes(to_jsonstat(frame, dims, "prop"), "prop.json")
    assert parsed.frame.equals(meaningful(frame))
