"""A sensor that starts a live refresh when Eurostat has published a new release of any
registry dataset (pipelines.sources.eurostat.client.check_release per dataset). Off by default: turn it
on in the Dagster UI where the API is reachable."""

from __future__ import annotations

import hashlib
import json

import dagster as dg


def build_release_sensor(codes: list[str]) -> dg.SensorDefinition:
    @dg.sensor(
        name="eurostat_release_sensor",
        job_name="refresh",
        minimum_interval_seconds=6 * 3600,  # Eurostat updates at 11:00 and 23:00 CET
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Runs `refresh` with source live when a dataset changed at Eurostat.",
    )
    def eurostat_release_sensor(context: dg.SensorEvaluationContext):
        from pipelines.sources.eurostat.client import (  # HTTP and parsers: here
            FetchError,
            check_release,
        )

        changed, failed = {}, []
        for code in codes:
            try:
                info = check_release(code, log=context.log.info)
            except FetchError as exc:
                failed.append(code)
                context.log.warning(f"{code}: release check failed: {exc}")
                continue
            if info.no_data:
                context.log.warning(f"{code}: no data for this filter ({info.filter})")
            if info.changed:
                changed[code] = info.updated
        if not changed:
            note = f" ({len(failed)} check(s) failed)" if failed else ""
            return dg.SkipReason(f"no Eurostat dataset changed since its last download{note}")
        key = hashlib.sha256(json.dumps(changed, sort_keys=True).encode()).hexdigest()[:16]
        from pipelines.defs.operations.selection import refresh_selection
        from pipelines.publish.keys import asset_key, raw_key

        keys = [asset_key(raw_key("eurostat", code)) for code in sorted(changed)]
        assets, checks = refresh_selection(keys, context.repository_def)
        return dg.RunRequest(
            run_key=f"eurostat-{key}",
            run_config={"resources": {"source": {"config": {"spec": "live"}}}},
            tags={
                "monitor/source": "live",
                "monitor/trigger": "eurostat_release_sensor",
                "monitor/changed": ",".join(sorted(changed))[:250],
            },
            asset_selection=assets,
            asset_check_keys=checks,
        )

    return eurostat_release_sensor
