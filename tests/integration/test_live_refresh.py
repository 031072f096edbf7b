"""`monitor refresh --source live` end to end against a local stand-in of Eurostat's API:
a faulty server leaves the previous publication byte-identical; a good one publishes live
Eurostat data (is_sample false, the deliveries without an intake file
stay labelled sample); a refresh with no new release downloads nothing."""

from __future__ import annotations

import csv
import hashlib
import shutil

import duckdb
import polars as pl
import pytest

from tests.conftest import monitor_cmd
from tests.support.fake_eurostat import FakeEurostat, add_sample_datasets, client_env

pytestmark = pytest.mark.slow


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def api():
    server = FakeEurostat().start()
    add_sample_datasets(server)
    yield server
    server.stop()


def snapshot_ids(home) -> list[str]:
    return sorted(p.parent.name for p in (home / "raw").glob("eurostat/*/*/snapshot.json"))


def test_live_refresh_faults_then_success_then_nothing_new(published_home, tmp_path, api):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    db = home / "published" / "monitor.duckdb"
    before = sha(db)
    env = client_env(api, read_timeout_s=1.5, total_budget_s=20)
    api.max_rows = 2000  # the three largest datasets answer 413 and are split
    api.fault(
        "data",
        "status",
        status=503,
        headers={"Retry-After": "0"},
        times=10**6,
        match="lfst_r_lfe2emprt",
    )
    api.fault("data", "stall", seconds=10, times=10**6, match="/ilc_li41/")
    api.fault("data", "truncate", times=10**6, match="/trng_lfse_04/")
    api.fault("data", "queue", polls=2, match="/edat_lfse_22/")
    api.fault("any", "reset", match="/hlth_dlm200")
    api.fault("statistics", "status", status=429, headers={"Retry-After": "0"}, match="ilc_di11")

    failed = monitor_cmd("refresh", "--source", "live", home=home, env=env)
    out = failed.stdout
    assert failed.returncode == 1, failed.stderr[-3000:]
    assert "NOT PUBLISHED" in out
    assert (
        "lfst_r_lfe2emprt: live download failed" in out
        and "HTTP 503; gave up after 3 attempts" in out
    )
    assert "ilc_li41: live download failed" in out and "timed out" in out
    assert "trng_lfse_04: live download failed" in out and "gzip body is truncated" in out
    assert sha(db) == before  # the previous publication is untouched
    for code in ("edat_lfse_22", "hlth_dlm200", "ilc_di11", "edat_lfse_04"):
        [line] = [x for x in out.splitlines() if x.strip().startswith(f"- {code} ")]
        assert "[live] new vintage" in line, line  # recovered from its fault

    api.faults.clear()
    good = monitor_cmd("refresh", "--source", "live", home=home, env=env)
    assert good.returncode == 0, good.stdout[-3000:] + good.stderr[-3000:]
    # Eurostat is live; the spreadsheet deliveries have no intake file here, so their kept
    # SAMPLE snapshots are used, said on the terminal and in the publication's label.
    assert "result: PUBLISHED" in good.stdout
    assert (
        "** contains SAMPLE DATA: statbel_poverty, training_instruments, vdab_tightness **"
        in good.stdout
    )
    for code in ("training_instruments", "statbel_poverty", "vdab_tightness"):
        [line] = [x for x in good.stdout.splitlines() if x.strip().startswith(f"- {code} ")]
        assert "[sample]" in line and "kept snapshot" in line, line
    con = duckdb.connect(str(db), read_only=True)
    try:
        log = con.execute("select status, is_sample, source from publication_log").fetchall()
        rows = dict(
            con.execute(
                "select source = 'eurostat', list(distinct is_sample) from fct_indicator_values "
                "where source in ('eurostat', 'vdab', 'statbel') group by all"
            ).fetchall()
        )
        modes = con.execute(
            "select mode, count(*) from dim_snapshot group by all order by mode"
        ).fetchall()
        assert log[-1] == ("published", True, "mixed:live+sample")
        assert rows[True] == [False]  # no Eurostat value is labelled sample
        assert rows[False] == [True]  # every delivery value is
        assert modes == [("live", 24), ("sample", 3)]
    finally:
        con.close()

    vintages = snapshot_ids(home)
    again = monitor_cmd("refresh", "--source", "live", home=home, env=env)
    assert again.returncode == 0, again.stdout[-3000:]
    assert again.stdout.count("skipped the download") == 24
    assert snapshot_ids(home) == vintages


#: a cell Eurostat keeps confidential: Flanders' employment rate 20-64 in 2022
SECRET = {"unit": "PC", "sex": "T", "age": "Y20-64", "geo": "BE2", "time": "2022"}
EMPTY = "ilc_li41"  # a dataset for which Eurostat has (part of) the filter without data


def test_live_refresh_reads_confidential_cells_and_answers_with_no_data(
    published_home, tmp_path, api
):
    """A confidential cell is published without a value, as such, and the report says so;
    a part of a request answered with no data is named, and the gate names the comparison
    geographies it lacks (a warning: published); a dataset answered with no data at all is
    named too, and the gate refuses it, naming Flanders, the previous publication intact."""
    from pipelines.registry import load_registry
    from pipelines.sources.eurostat.client.api import dataset_query
    from pipelines.sources.eurostat.client.download import _split

    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    db = home / "published" / "monitor.duckdb"
    env = client_env(api)
    emp = api.datasets["lfst_r_lfe2emprt"]
    secret = pl.all_horizontal(pl.col(k) == v for k, v in SECRET.items())
    assert emp.frame.filter(secret).height == 1
    emp.frame = emp.frame.with_columns(
        pl.when(secret).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(secret).then(pl.lit("")).otherwise(pl.col("flags")).alias("flags"),
        pl.when(secret).then(pl.lit("C")).otherwise(pl.col("conf_status")).alias("conf_status"),
    )
    # Eurostat has no data for the second half of ilc_li41's comparison geographies; the
    # request is too big, so it is split and that half is answered with the header alone
    _, absent_half, dim = _split(dataset_query(load_registry(), EMPTY))
    absent = absent_half["geo"]
    li = api.datasets[EMPTY]
    li.frame = li.frame.filter(~pl.col("geo").is_in(absent))
    li.max_rows = li.frame.height - 1

    published = monitor_cmd("refresh", "--source", "live", home=home, env=env)
    out = published.stdout
    assert published.returncode == 0, out[-3000:] + published.stderr[-3000:]
    assert dim == "geo" and "result: PUBLISHED" in out
    [line] = [x for x in out.splitlines() if x.strip().startswith(f"- {EMPTY} ")]
    assert f"no data for geo={','.join(absent)}; unit=" in line, line
    [warning] = [
        x
        for x in out.splitlines()
        if "[warn] raw.required_geographies.comparators" in x and EMPTY in x
    ]
    assert set(warning.split(": missing ")[1].split(" — ")[0].split(", ")) == set(absent)
    con = duckdb.connect(str(db), read_only=True)
    try:
        cell = con.execute(
            "select value, flags, conf_status, is_confidential, value_status "
            "from fct_indicator_values where indicator_id = 'employment_rate_20_64' "
            "and geo = 'BE2' and period = '2022' and breakdown = 'total'"
        ).fetchall()
        assert cell == [(None, "c", "C", True, "confidential")]
        others = con.execute(
            "select count(*) from fct_indicator_values where is_confidential "
            "and (value is not null or value_status <> 'confidential')"
        ).fetchone()
        assert others == (0,)
    finally:
        con.close()
    report = home / "published" / "report"
    nl = (report / "indicator" / "employment_rate_20_64.html").read_text(encoding="utf-8")
    en = (report / "en" / "indicator" / "employment_rate_20_64.html").read_text(encoding="utf-8")
    # Flanders' cell of 2022 in the chart's data table: the vocabulary's label of status C
    assert (
        '<th scope="row">2022</th><td data-label="Vlaanderen">vertrouwelijk\u00a0'
        '<span class="flags"><abbr title="vertrouwelijk">c</abbr></span></td>'
    ) in nl
    assert (
        '<th scope="row">2022</th><td data-label="Flanders">confidential\u00a0'
        '<span class="flags"><abbr title="confidential">c</abbr></span></td>'
    ) in en
    download = report / "data" / "employment_rate_20_64-series.csv"
    [row] = [
        r
        for r in csv.DictReader(download.read_text(encoding="utf-8-sig").splitlines())
        if r["geo"] == "BE2" and r["period"] == "2022"
    ]
    assert (row["value"], row["flags"], row["conf_status"]) == ("", "c", "C")
    assert (row["conf_status_nl"], row["conf_status_en"]) == ("vertrouwelijk", "confidential")

    # Now Eurostat has no data at all for ilc_li41's filter: named, and refused by the gate
    li.frame, li.max_rows = li.frame.clear(), None
    before = sha(db)
    refused = monitor_cmd("refresh", "--source", "live", home=home, env=env)
    out = refused.stdout
    assert refused.returncode == 1, out[-3000:] + refused.stderr[-3000:]
    assert "NOT PUBLISHED" in out
    [line] = [x for x in out.splitlines() if x.strip().startswith(f"- {EMPTY} ")]
    assert "0 obs" in line and "no data for this filter (geo=" in line, line
    assert "[error] raw.required_geographies.flanders" in out
    flanders = [
        x for x in out.splitlines() if "raw.required_geographies.flanders" in x and EMPTY in x
    ]  # the gate's failure, and the quarantine line that gives it as the reason
    assert any(": missing BE2 — " in x for x in flanders), flanders
    assert "quarantine: 1 snapshot(s) set aside" in out, out[-3000:]
    assert sha(db) == before  # the previous publication is untouched
