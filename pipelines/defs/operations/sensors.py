"""Failure visibility: every failed run is tagged with the step that failed and why, so the
Dagster UI's run list and `monitor status` say which source or check stopped it."""

import dagster as dg

from pipelines.defs.errors import root_message


def failure_tags(failures) -> dict[str, str]:
    """Run tags naming the first failed step and its message (from STEP_FAILURE events)."""
    if not failures:
        return {}
    first = failures[0]
    steps = ",".join(sorted({f.step_key for f in failures if f.step_key}))
    message = _gate_failure(first.step_key or "") or root_message(first.event_specific_data.error)
    return {
        "monitor/failed_step": first.step_key or "",
        "monitor/failed_steps": steps[:255],
        "monitor/failure": message[:250],
    }


def _gate_failure(step_key: str) -> str | None:
    """For a failed gate step: the blocking expectations by name, from the gate's record."""
    if not step_key.endswith("_quality_gate"):
        return None
    from pipelines.publish.publication import load_gate_record
    from pipelines.settings import paths

    stage = step_key.removesuffix("_quality_gate")
    record = load_gate_record(paths().quality, stage)
    if not record or record["passed"]:
        return None
    blocking = [o for o in record["outcomes"] if not o["success"] and o["severity"] == "error"]
    return f"{stage} gate: " + "; ".join(
        f"{o['name']} on {o['table']} ({o['unexpected_count']} rows)" for o in blocking[:5]
    )


@dg.run_failure_sensor(name="tag_failed_runs", default_status=dg.DefaultSensorStatus.RUNNING)
def tag_failed_runs(context: dg.RunFailureSensorContext):
    tags = failure_tags(context.get_step_failure_events())
    if tags:
        context.instance.add_run_tags(context.dagster_run.run_id, tags)
