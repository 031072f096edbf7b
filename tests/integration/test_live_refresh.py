"""`monitor refresh --source live` end to end against a local stand-in of Eurostat's API:
a faulty server leaves the previous publication byte-identical; a good one publishes live
Eurostat data (is_sample false, the deliveries without an intake file
stay labelled sample); a refresh with no new release downloads nothing."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
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
