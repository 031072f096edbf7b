"""Operations: the schedule, the run-failure sensor, freshness checks and `monitor status`'s
run history, all through Dagster's own definitions and testing utilities."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.eurostat.freshness import build_freshness_checks
from pipelines.defs.operations.sensors import tag_failed_runs
from pipelines.publish.keys import asset_key, raw_key
from pipelines.registry import load_registry
from tests.conftest import copy_sample, monitor_cmd


def test_eurostat_schedule_runs_a_live_refresh_after_each_release():
    schedule = defs.get_schedule_def("eurostat_after_release")
    assert schedule.cron_schedule == "30 11,23 * * *"
    assert schedule.execution_timezone == "Europe/Brussels"
    when = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
    with dg.build_schedule_context(scheduled_execution_time=when) as context:
        data = schedule.evaluate_tick(context)
    (request,) = data.run_requests
    assert request.run_config["resources"]["source"]["config"]["spec"] == "live"
    assert request.tags["monitor/trigger"] == "schedule"


def test_run_failure_sensor_tags_the_failed_step(tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_HOME", str(tmp_path / "home"))
    with dg.instance_for_test() as instance:
        # re-running the gate and publishing with nothing ingested must fail, naming why
        result = defs.resolve_job_def("publish").execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"resources": {"source": {"config": {"spec": "sample"}}}},
        )
        assert not result.success
        failure = result.get_step_failure_events()[0]
        run = instance.get_run_by_id(result.run_id)
        context = dg.build_run_status_sensor_context(
            sensor_name="tag_failed_runs",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=run,
        ).for_run_failure()
        tag_failed_runs(context)
        tags = instance.get_run_by_id(result.run_id).tags
    assert tags["monitor/failed_step"] == failure.step_key
    assert failure.step_key.endswith("quality_gate")
    assert "no warehouse at" in tags["monitor/failure"]


def freshness_result(days_old: int) -> dg.AssetCheckEvaluation:
    key = asset_key(raw_key("eurostat", "ilc_li41"))
    checks = [c for c in build_freshness_checks() if key in {k.asset_key for k in c.check_keys}]
    assert len(checks) == 1
    with dg.instance_for_test() as instance:
        stamp = datetime.now(UTC) - timedelta(days=days_old)
        instance.report_runless_asset_event(
            dg.AssetMaterialization(
                asset_key=key,
                metadata={"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(stamp)},
            )
        )
        selection = dg.AssetSelection.checks(*checks)
        result = (
            dg.Definitions(
                assets=[dg.AssetSpec(key)],
                asset_checks=checks,
                jobs=[dg.define_asset_job("freshness", selection=selection)],
            )
            .resolve_job_def("freshness")
            .execute_in_process(instance=instance)
        )
    evaluations = [e for e in result.get_asset_check_evaluations() if e.asset_key == key]
    assert len(evaluations) == 1
    return evaluations[0]


def test_freshness_check_uses_the_producers_last_update():
    assert freshness_result(days_old=30).passed
    stale = freshness_result(days_old=500)  # ilc_li41 (EU-SILC) is expected within 450 days
    assert not stale.passed and stale.severity == dg.AssetCheckSeverity.WARN


@pytest.mark.slow
def test_status_lists_runs_and_names_what_failed(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    folder = copy_sample(tmp_path / "delivery")
    path = folder / "SAMPLE_lfst_r_lfe2emprt.tsv"
    lines = path.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("PC,T,Y20-64,BE2\t"))
    cells = lines[row].split("\t")
    cells[1] = "250.0 "
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n")
    failed = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    assert failed.returncode != 0

    status = monitor_cmd("status", "--runs", "3", home=home)
    assert status.returncode == 0, status.stderr
    runs = status.stdout[status.stdout.index("Last 2 run(s):") :].splitlines()
    assert "FAILURE" in runs[1] and "not published" in runs[1] and "source dir:" in runs[1]
    assert "failed at models_quality_gate" in runs[2] and "fct.pct_range" in runs[2]
    assert "SUCCESS" in runs[3] and "published" in runs[3]
    datasets = len(load_registry().datasets)  # Eurostat datasets and spreadsheet deliveries
    assert f"Freshness: {datasets} of {datasets} dataset(s) fresh" in status.stdout


def test_intake_sensor_refreshes_only_a_new_or_changed_delivery(tmp_path, monkeypatch):
    from pipelines.sources.intake.locate import SAMPLE_FOLDER

    monkeypatch.setenv("MONITOR_INTAKE_DIR", str(tmp_path / "intake"))
    (tmp_path / "intake").mkdir()
    sensor = defs.get_sensor_def("intake_folder_sensor")
    with dg.instance_for_test() as instance:
        first = sensor(dg.build_sensor_context(instance=instance, definitions=defs))
        assert isinstance(first, dg.SkipReason)
        shutil.copy(
            SAMPLE_FOLDER / "SAMPLE_vdab_tightness.csv", tmp_path / "intake" / "vdab_tightness.csv"
        )
        context = dg.build_sensor_context(instance=instance, definitions=defs)
        request = sensor(context)
        assert isinstance(request, dg.RunRequest)
        selected = {k.to_user_string() for k in request.asset_selection}
        assert "raw/vdab__vdab_tightness" in selected
        assert not any(
            k.startswith("raw/eurostat__") or k.startswith("raw/partner__") for k in selected
        )
        assert {"marts/fct_indicator_values", "publication/monitor_db"} <= selected
        # the same file again is no news; a changed one is
        again = sensor(
            dg.build_sensor_context(instance=instance, definitions=defs, cursor=context.cursor)
        )
        assert isinstance(again, dg.SkipReason)
        with open(tmp_path / "intake" / "vdab_tightness.csv", "a") as handle:
            handle.write("\n")
        changed = sensor(
            dg.build_sensor_context(instance=instance, definitions=defs, cursor=context.cursor)
        )
        assert isinstance(changed, dg.RunRequest) and changed.run_key != request.run_key
    job = defs.resolve_job_def("refresh").get_subset(
        asset_selection=set(request.asset_selection),
        asset_check_selection=set(request.asset_check_keys),
    )
    assert job is not None
