"""The live Eurostat client against a real HTTP server on 127.0.0.1 that injects faults:
each case ends in a correct snapshot or a clear error within the time bound."""

from __future__ import annotations

import gzip
import itertools

import polars as pl
import pytest

from pipelines.sources.eurostat.client.http import FetchError, HttpClient
from pipelines.sources.eurostat.client.live import fetch_live
from pipelines.sources.eurostat.client.settings import ApiSettings
from pipelines.sources.eurostat.parsing import parse_bytes, parse_file
from pipelines.sources.store import list_snapshots
from tests.support.fake_eurostat import FakeEurostat

DIMS = ["unit", "sex", "age", "geo"]
GEOS = ["AT", "BE", "BE2", "BE21", "DE", "EU27_2020", "FR", "NL"]
QUERY = {
    "geo": ["BE", "BE2", "EU27_2020", "NL"],
    "sex": ["F", "M", "T"],
    "age": ["Y20-64"],
    "unit": ["PC"],
}


def observations(shift: float = 0.0) -> pl.DataFrame:
    rows = []
    for n, (sex, age, geo, year) in enumerate(
        itertools.product(["F", "M", "T"], ["Y15-64", "Y20-64"], GEOS, range(2019, 2025))
    ):
        flags = ["", "b", "p", "e", "u", "bp"][n % 6]
        value = None if n % 17 == 0 else round(60 + n % 23 + shift, 1)
        rows.append(("PC", sex, age, geo, str(year), value, flags))
    return pl.DataFrame(rows, schema=[*DIMS, "time", "value", "flags"], orient="row")


@pytest.fixture
def fake(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
    server = FakeEurostat().start()
    server.add("lfst_test", observations(), DIMS)
    yield server
    server.stop()


def settings_for(base: str, **kw) -> ApiSettings:
    values = dict(
        base_url=base,
        connect_timeout_s=1.0,
        read_timeout_s=2.0,
        max_attempts=4,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
        total_budget_s=8.0,
        async_poll_interval_s=0.01,
        async_max_wait_s=2.0,
    )
    return ApiSettings(**{**values, **kw})


def fetch(fake, raw, query=QUERY, code="lfst_test", log=None, **kw):
    settings = settings_for(fake.base_url, **kw)
    return fetch_live(code, query, raw, HttpClient(settings, log), settings)


def expected(query=QUERY) -> pl.DataFrame:
    frame = observations()
    for dim, codes in query.items():
        frame = frame.filter(pl.col(dim).is_in(codes))
    return frame.sort([*DIMS, "time"])


def parsed(snapshot) -> pl.DataFrame:
    frame = parse_bytes(snapshot.read_verified(), "snap").frame
    return frame.drop("freq").select([*DIMS, "time", "value", "flags"]).sort([*DIMS, "time"])


def test_download_is_filtered_server_side_and_snapshotted_with_provenance(fake, tmp_path):
    got = fetch(fake, tmp_path)
    assert got.created and got.snapshot.mode == "live"
    assert parsed(got.snapshot).equals(expected())
    meta = got.snapshot.meta
    [data_call] = fake.calls("data")
    assert data_call["path"].startswith(
        "/sdmx/2.1/data/lfst_test/.PC.F+M+T.Y20-64.BE+BE2+EU27_2020+NL?"  # freq: any
    )
    assert meta["url"].endswith("format=SDMX-CSV&compressed=true") and meta["http_status"] == 200
    assert meta["etag"] == '"v1"' and meta["last_modified"].startswith("Thu, 23 Apr 2026")
    assert meta["release_updated"] == "2026-04-23T11:00:00+0200"
    assert meta["producer_last_update"] == "2026-04-23T11:00:00"  # SDMX-CSV LAST UPDATE
    assert meta["query"] == QUERY and meta["parts"][0]["content_encoding"] == "gzip"
    [check] = fake.calls("statistics")
    assert ("lastTimePeriod", "1") in check["params"] and ("geo", "BE2") in check["params"]


def test_unchanged_release_skips_the_download_and_same_content_makes_no_vintage(fake, tmp_path):
    first = fetch(fake, tmp_path)
    again = fetch(fake, tmp_path)
    assert not again.created and "skipped the download" in again.note
    assert again.snapshot.snapshot_id == first.snapshot.snapshot_id
    assert len(fake.calls("data")) == 1  # only the release check was asked the second time
    fake.datasets["lfst_test"].updated = "2026-04-24T11:00:00+0200"  # a release elsewhere
    third = fetch(fake, tmp_path)
    assert not third.created and "content identical" in third.note
    assert len(fake.calls("data")) == 2
    assert len(list_snapshots(tmp_path, "eurostat", "lfst_test")) == 1
    assert "skipped" in fetch(fake, tmp_path).note  # the new release state was recorded


def test_a_new_release_becomes_a_new_vintage(fake, tmp_path):
    fetch(fake, tmp_path)
    fake.add("lfst_test", observations(shift=0.1), DIMS, updated="2026-04-24T23:00:00+0200")
    got = fetch(fake, tmp_path)
    assert got.created and "new vintage" in got.note
    assert len(list_snapshots(tmp_path, "eurostat", "lfst_test")) == 2
    assert fetch(fake, tmp_path, query={**QUERY, "sex": ["T"]}).created  # new filter, new data


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_transient_statuses_are_retried(fake, tmp_path, status):
    fake.fault("data", "status", status=status, times=2)
    lines: list[str] = []
    got = fetch(fake, tmp_path, log=lines.append)
    assert got.created and parsed(got.snapshot).equals(expected())
    assert len(fake.calls("data")) == 3
    assert got.snapshot.meta["parts"][0]["attempts"] == 3
    assert sum(f"HTTP {status}; retry" in line for line in lines) == 2


def test_retry_after_is_honoured(fake, tmp_path):
    fake.fault("data", "status", status=503, headers={"Retry-After": "1"})
    got = fetch(fake, tmp_path)
    first, second = fake.calls("data")
    assert got.created and second["at"] - first["at"] >= 0.95  # backoff alone would be 0.01s


def test_retry_after_beyond_the_time_bound_fails_at_once(fake, tmp_path):
    fake.fault("data", "status", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match=r"next attempt \(in 3600s\) would pass the time bound"):
        fetch(fake, tmp_path)
    assert len(fake.calls("data")) == 1  # no second attempt, no hour-long sleep
    assert list_snapshots(tmp_path, "eurostat", "lfst_test") == []


def test_persistent_server_error_is_a_clear_error_and_no_snapshot(fake, tmp_path):
    fake.fault("data", "status", status=500, times=99)
    with pytest.raises(FetchError, match=r"HTTP 500; gave up after 4 attempts") as info:
        fetch(fake, tmp_path)
    assert "/sdmx/2.1/data/lfst_test/" in str(info.value)
    assert list_snapshots(tmp_path, "eurostat", "lfst_test") == []


def test_redirects_are_followed(fake, tmp_path):
    target = "/sdmx/2.1/data/lfst_test/.PC.F+M+T.Y20-64.BE+BE2+EU27_2020+NL?format=SDMX-CSV&compressed=true"
    fake.fault("data", "status", status=302, headers={"Location": target})
    got = fetch(fake, tmp_path)
    assert got.created and len(fake.calls("data")) == 2
    assert got.snapshot.meta["parts"][0]["attempts"] == 1


def test_client_errors_are_not_retried(fake, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(fake, tmp_path, code="no_such_dataset")
    assert len(fake.calls("statistics")) == 1


def test_413_splits_the_request_and_merges_the_parts(fake, tmp_path):
    fake.max_rows = 20  # 72 observations asked for
    lines: list[str] = []
    got = fetch(fake, tmp_path, log=lines.append)
    assert parsed(got.snapshot).equals(expected())
    answered = [c for c in fake.calls("data")]
    assert len(answered) > 4 and len(got.snapshot.meta["parts"]) >= 4
    assert any("EXTRACTION_TOO_BIG" in line and "splitting" in line for line in lines)


def test_413_that_cannot_be_split_is_a_clear_error(fake, tmp_path):
    fake.max_rows = 0
    with pytest.raises(FetchError, match="too big for Eurostat even for one code"):
        fetch(fake, tmp_path)


def test_connection_reset_is_retried(fake, tmp_path):
    fake.fault("any", "reset", times=2)
    got = fetch(fake, tmp_path)
    assert got.created and parsed(got.snapshot).equals(expected())


def test_stalled_response_times_out_then_succeeds(fake, tmp_path):
    fake.fault("data", "stall", seconds=30)  # without a read timeout: a 30 s wait, then a reset
    lines: list[str] = []
    got = fetch(fake, tmp_path, log=lines.append, read_timeout_s=0.3)
    assert got.created and parsed(got.snapshot).equals(expected())
    assert got.snapshot.meta["parts"][0]["attempts"] == 2
    assert any("connection failed while reading (timed out); retry 1/3" in x for x in lines)


def test_always_stalled_ends_in_a_clear_error_within_the_time_bound(fake, tmp_path):
    fake.fault("data", "stall", seconds=30, times=99)
    with pytest.raises(
        FetchError, match="timed out.*time bound of 1.5s|time bound of 1.5s is spent"
    ):
        fetch(fake, tmp_path, total_budget_s=1.5, max_attempts=99, read_timeout_s=0.3)
    assert 2 <= len(fake.calls("data")) <= 6  # read timeouts of 0.3 s within 1.5 s


def test_truncated_gzip_body_is_retried(fake, tmp_path):
    fake.fault("data", "truncate")
    got = fetch(fake, tmp_path)
    assert got.created and parsed(got.snapshot).equals(expected())
    fake.fault("data", "truncate", times=99)
    fake.datasets["lfst_test"].updated = "2026-05-01T11:00:00+0200"
    with pytest.raises(FetchError, match="gzip body is truncated"):
        fetch(fake, tmp_path)


def test_async_queued_extraction_is_polled_until_available(fake, tmp_path):
    fake.fault("data", "queue", polls=3)
    got = fetch(fake, tmp_path)
    assert parsed(got.snapshot).equals(expected())
    statuses = [c for c in fake.calls("async") if "/status/" in c["path"]]
    assert len(statuses) == 4
    key = got.snapshot.meta["parts"][0]["async_key"]
    assert got.snapshot.meta["url"].endswith(f"/1.0/async/data/{key}")


def test_async_extraction_that_never_ends_fails_within_its_limit(fake, tmp_path):
    fake.fault("data", "queue", polls=10_000)
    with pytest.raises(FetchError, match=r"still PROCESSING after \d+s \(limit 0.5s\)"):
        fetch(fake, tmp_path, async_poll_interval_s=0.05, async_max_wait_s=0.5)
    assert len([c for c in fake.calls("async") if "/status/" in c["path"]]) <= 11


def test_codes_not_asked_for_are_refused(fake, tmp_path):
    fake.datasets["lfst_test"].static = fake_csv_all()
    with pytest.raises(FetchError, match="codes that were not asked for"):
        fetch(fake, tmp_path)
    assert list_snapshots(tmp_path, "eurostat", "lfst_test") == []


def fake_csv_all() -> bytes:
    from tests.support.eurostat_formats import to_sdmx_csv

    frame = observations().with_columns(pl.lit("A").alias("freq"))
    return to_sdmx_csv(frame, ["freq", *DIMS], "lfst_test")


def test_malformed_answer_is_refused_with_file_line_and_column(fake, tmp_path):
    fake.datasets[
        "lfst_test"
    ].static = b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE\r\nX,x,A,BE,2020,abc\r\n"
    with pytest.raises(FetchError, match=r"cannot be read: .*lfst_test.*line 2, column 6"):
        fetch(fake, tmp_path, query={})


def test_proxy_from_the_environment_and_credentials_redacted(fake, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "HTTP_PROXY", f"http://proxyuser:proxysecret@127.0.0.1:{fake.server.server_address[1]}"
    )
    fake.fault("data", "status", status=503)
    lines: list[str] = []
    settings = settings_for("http://apiuser:apisecret@eurostat.invalid/api")
    got = fetch_live("lfst_test", QUERY, tmp_path, HttpClient(settings, lines.append), settings)
    assert got.created
    call = fake.calls("data")[-1]
    assert call["path"].startswith("http://eurostat.invalid/api/sdmx/2.1/data/lfst_test/")
    assert call["headers"]["Proxy-Authorization"].startswith("Basic ")
    text = "\n".join(lines) + repr(got.snapshot.meta)
    assert "apiuser:***@" in text and "secret" not in text


REAL_FILES = [
    "une_rt_a_sample.sdmx.csv",
    "trng_lfse_04.tsv.gz",
    "ilc_li41.tsv",
    "ilc_peps11.tsv.gz",
    "lfst_r_lfu3rt.tsv",
    "tgs00010.tsv",
    "lfst_r_lfu3rt_1_Data.csv",
    "ilc_mddd21_two_vintages/ilc_mddd21_later.tsv.gz",
]


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_files_served_by_the_local_server_are_snapshotted_byte_exact(
    fake, tmp_path, shared_data, name
):
    path = shared_data / name
    real = parse_file(path)
    fake.add("real", real.frame, real.dimensions, static=path.read_bytes())
    got = fetch(fake, tmp_path, query={}, code="real", read_timeout_s=10.0, total_budget_s=60.0)
    stored = got.snapshot.read_verified()
    raw = path.read_bytes()
    assert stored == (gzip.decompress(raw) if name.endswith(".gz") else raw)  # unpacked once
    assert parse_bytes(stored, "snap").frame.equals(real.frame)


def test_a_release_that_reverts_is_the_earlier_vintage_again(fake, tmp_path):
    first = fetch(fake, tmp_path)
    fake.add("lfst_test", observations(shift=0.1), DIMS, updated="2026-04-24T11:00:00+0200")
    assert fetch(fake, tmp_path).created
    fake.add("lfst_test", observations(), DIMS, updated="2026-04-25T11:00:00+0200")
    reverted = fetch(fake, tmp_path)
    assert not reverted.created and reverted.snapshot.snapshot_id == first.snapshot.snapshot_id
    assert f"identical to snapshot {first.snapshot.snapshot_id}" in reverted.note
    assert len(list_snapshots(tmp_path, "eurostat", "lfst_test")) == 2
