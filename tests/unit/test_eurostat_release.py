"""Release detection (check_release) and the Dagster sensor built on it, against the local
stand-in of Eurostat's API, with settings from MONITOR_EUROSTAT_* environment variables."""

from __future__ import annotations

import dagster as dg
import pytest

from pipelines.defs.eurostat.sensors import build_release_sensor
from pipelines.settings import paths
from pipelines.sources.eurostat.client import check_release, live_fetcher
from tests.support.fake_eurostat import FakeEurostat, add_sample_datasets, client_env

CODES = ["lfst_r_lfe2emprt", "ilc_li41"]


@pytest.fixture
def api(monitor_home, monkeypatch):
    server = FakeEurostat().start()
    add_sample_datasets(server)
    for name, value in client_env(server).items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


def test_check_release_sees_new_releases(api):
    raw = paths().ensure().raw
    first = check_release("lfst_r_lfe2emprt")
    assert first.changed and first.previous_updated is None
    assert first.updated == "2026-04-23T11:00:00+0200"
    assert first.dimensions == ["freq", "unit", "sex", "age", "geo"]
    live_fetcher()("lfst_r_lfe2emprt", raw)
    assert not check_release("lfst_r_lfe2emprt").changed
    api.datasets["lfst_r_lfe2emprt"].updated = "2026-04-24T11:00:00+0200"
    later = check_release("lfst_r_lfe2emprt")
    assert later.changed and later.previous_updated == "2026-04-23T11:00:00+0200"
    [call] = [c for c in api.calls("statistics")][-1:]
    assert ("lastTimePeriod", "1") in call["params"]


def test_sensor_requests_a_live_refresh_only_after_a_release(api):
    from pipelines.definitions import defs

    sensor = build_release_sensor(CODES)
    first = sensor(dg.build_sensor_context(definitions=defs))
    assert isinstance(first, dg.RunRequest)
    assert first.run_config["resources"]["source"]["config"]["spec"] == "live"
    fetch = live_fetcher()
    for code in CODES:
        fetch(code, paths().ensure().raw)
    assert isinstance(sensor(dg.build_sensor_context(definitions=defs)), dg.SkipReason)
    api.datasets["ilc_li41"].updated = "2026-04-24T23:00:00+0200"
    again = sensor(dg.build_sensor_context(definitions=defs))
    assert isinstance(again, dg.RunRequest) and again.run_key != first.run_key
    # only the changed dataset is materialised, then the models, the gate and publication
    selected = {k.to_user_string() for k in again.asset_selection}
    assert "raw/eurostat__ilc_li41" in selected and "raw/eurostat__lfst_r_lfe2emprt" not in selected
    assert {
        "marts/fct_indicator_values",
        "publication/monitor_db",
        "publication/report",
    } <= selected
    checks = {(k.asset_key.to_user_string(), k.name) for k in again.asset_check_keys}
    assert ("raw/eurostat__lfst_r_lfe2emprt", "gx_raw") in checks
    assert ("marts/fct_indicator_values", "gx_fct_indicator_values") in checks
    job = defs.resolve_job_def("refresh").get_subset(
        asset_selection=set(again.asset_selection),
        asset_check_selection=set(again.asset_check_keys),
    )
    assert job is not None  # the selection is a valid subset of the refresh job


def test_sensor_skips_when_the_api_fails(api):
    api.fault("statistics", "status", status=404, times=10)
    result = build_release_sensor(CODES)(dg.build_sensor_context())
    assert isinstance(result, dg.SkipReason) and "2 check(s) failed" in result.skip_message
