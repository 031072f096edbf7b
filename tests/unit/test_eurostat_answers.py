"""The live client on the current API's answers, against the local stand-in on 127.0.0.1:
confidential cells (status apart from the flags) and filters that match no data (HTTP 200, a
JSON-stat dimension of size 0, an SDMX-CSV header alone) are read, not refused."""

from __future__ import annotations

import gzip
import itertools
from urllib.request import urlopen

import polars as pl
import pytest

from pipelines.sources.eurostat.client.api import statistics_url
from pipelines.sources.eurostat.client.http import HttpClient
from pipelines.sources.eurostat.client.live import fetch_live
from pipelines.sources.eurostat.client.release import release_state
from pipelines.sources.eurostat.client.settings import ApiSettings
from pipelines.sources.eurostat.parsing import NO_DATA, parse_bytes
from pipelines.sources.store import list_snapshots
from tests.support.fake_eurostat import FakeEurostat

DIMS = ["unit", "sex", "geo"]
QUERY = {"geo": ["BE", "BE2", "FI", "SE"], "sex": ["F", "M", "T"], "unit": ["PC"]}
KEPT = ["BE", "BE2"]  # FI and SE: no data at the stand-in


def observations() -> pl.DataFrame:
    rows = []
    for n, (sex, geo, year) in enumerate(itertools.product("FMT", KEPT, range(2019, 2025))):
        secret = geo == "BE2" and sex == "F" and year == 2023
        conf = "C" if secret else ""
        value = None if secret else 60.0 + n % 17
        flags = "pc" if secret else ["", "p", "b"][n % 3]
        rows.append(("PC", sex, geo, str(year), value, flags, conf))
    return pl.DataFrame(rows, schema=[*DIMS, "time", "value", "flags", "conf_status"], orient="row")


@pytest.fixture
def fake(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
    server = FakeEurostat().start()
    server.add("lfst_conf", observations(), DIMS)
    yield server
    server.stop()


def fetch(fake, raw, query=QUERY, log=None):
    settings = ApiSettings(
        base_url=fake.base_url,
        connect_timeout_s=1.0,
        read_timeout_s=2.0,
        max_attempts=3,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
        total_budget_s=8.0,
        async_poll_interval_s=0.01,
        async_max_wait_s=2.0,
    )
    return fetch_live("lfst_conf", query, raw, HttpClient(settings, log), settings)


def test_confidential_cells_are_downloaded_and_read_apart_from_the_flags(fake, tmp_path):
    got = fetch(fake, tmp_path)
    body = got.snapshot.read_verified()
    assert b",T,Y" not in body and b",2023,,p,C\r\n" in body  # as the SDMX API writes it
    frame = parse_bytes(body, "snap").frame
    [secret] = frame.filter(pl.col("conf_status") != "").iter_rows(named=True)
    assert (secret["geo"], secret["sex"], secret["time"]) == ("BE2", "F", "2023")
    assert (secret["value"], secret["flags"]) == (None, "pc")
    # the statistics API's JSON-stat (`p|C`) reads the same as the SDMX-CSV
    url = statistics_url(fake.base_url, "lfst_conf", QUERY)
    with urlopen(url, timeout=5) as answer:
        doc = answer.read()
    assert '"p|C"' in doc.decode()
    as_json = parse_bytes(doc, "stats.json").frame.drop("freq")
    assert as_json.equals(frame.drop("freq"))


def test_a_filter_that_matches_no_data_is_a_vintage_with_zero_observations(fake, tmp_path):
    lines: list[str] = []
    query = {**QUERY, "geo": ["FI", "SE"]}
    got = fetch(fake, tmp_path, query=query, log=lines.append)
    words = "no data for this filter (geo=FI,SE; sex=F,M,T; unit=PC)"
    assert got.created and got.note.startswith(f"{words}: 0 observations; new vintage")
    assert f"lfst_conf: release check: {words}" in lines
    assert f"lfst_conf: {words}" in lines
    parsed = parse_bytes(got.snapshot.read_verified(), "snap")
    assert parsed.rows == 0 and parsed.warnings[0].startswith(NO_DATA)
    assert got.snapshot.meta["no_data"] == ["geo=FI,SE; sex=F,M,T; unit=PC"]
    assert release_state(tmp_path, "lfst_conf")["no_data"] is True
    again = fetch(fake, tmp_path, query=query)
    assert not again.created and again.note.startswith(words)
    assert "skipped the download" in again.note
    assert len(list_snapshots(tmp_path, "eurostat", "lfst_conf")) == 1


def test_data_after_no_data_is_a_new_vintage(fake, tmp_path):
    query = {**QUERY, "geo": ["FI", "SE"]}
    fetch(fake, tmp_path, query=query)
    fake.add("lfst_conf", observations().with_columns(geo=pl.lit("FI")), DIMS)
    got = fetch(fake, tmp_path, query=query)  # same `updated`: the data itself says new
    assert got.created and parse_bytes(got.snapshot.read_verified(), "s").rows > 0
    assert "no data" not in got.note


def test_a_part_of_a_split_request_with_no_data_is_named(fake, tmp_path):
    fake.max_rows = 20  # 36 observations for BE and BE2: split, geography first
    lines: list[str] = []
    got = fetch(fake, tmp_path, log=lines.append)
    frame = parse_bytes(got.snapshot.read_verified(), "snap").frame
    assert sorted(frame["geo"].unique()) == KEPT and frame.height == 36
    assert got.note.endswith("; no data for geo=FI,SE; sex=F,M,T; unit=PC")
    assert "lfst_conf: no data for this filter (geo=FI,SE; sex=F,M,T; unit=PC)" in lines
    assert got.snapshot.meta["no_data"] == ["geo=FI,SE; sex=F,M,T; unit=PC"]


def test_the_data_endpoint_answers_a_header_alone(fake):
    with urlopen(f"{fake.base_url}/sdmx/2.1/data/lfst_conf/...SE?format=SDMX-CSV", timeout=5) as r:
        status, body = r.status, r.read()
    body = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    assert status == 200 and body.count(b"\n") == 1 and body.startswith(b"DATAFLOW,")
