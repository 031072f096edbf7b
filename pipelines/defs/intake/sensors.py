"""A sensor on the intake folder: when a department drops a new or changed delivery file, it
starts a refresh of that delivery only, then the models, the gate and publication."""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from pipelines.sources.files import strip_sample_prefix
from pipelines.sources.intake.locate import intake_folder


def folder_state(codes: list[str]) -> dict[str, str]:
    """file name -> sha256 of every file in the intake folder named after a delivery code."""
    folder = intake_folder()
    state = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            stem = strip_sample_prefix(path.name.split(".", 1)[0])
            if path.is_file() and not path.is_symlink() and stem in codes:
                state[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def build_intake_sensor(deliveries: dict[str, dg.AssetKey]) -> dg.SensorDefinition:
    @dg.sensor(
        name="intake_folder_sensor",
        job_name="refresh",
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Refreshes a delivery when its file in the intake folder is new or changed.",
    )
    def intake_folder_sensor(context: dg.SensorEvaluationContext):
        from pipelines.defs.operations.selection import refresh_selection

        before = json.loads(context.cursor) if context.cursor else {}
        now = folder_state(list(deliveries))
        changed = sorted(name for name, digest in now.items() if before.get(name) != digest)
        context.update_cursor(json.dumps(now, sort_keys=True))
        if not changed:
            return dg.SkipReason(f"no new or changed delivery in {intake_folder()}")
        codes = sorted({strip_sample_prefix(name.split(".", 1)[0]) for name in changed})
        assets, checks = refresh_selection([deliveries[c] for c in codes], context.repository_def)
        key = hashlib.sha256(json.dumps({n: now[n] for n in changed}).encode()).hexdigest()[:16]
        return dg.RunRequest(
            run_key=f"intake-{key}",
            run_config={"resources": {"source": {"config": {"spec": "live"}}}},
            tags={
                "monitor/source": "intake",
                "monitor/trigger": "intake_folder_sensor",
                "monitor/changed": ",".join(changed)[:250],
            },
            asset_selection=assets,
            asset_check_keys=checks,
        )

    return intake_folder_sensor
