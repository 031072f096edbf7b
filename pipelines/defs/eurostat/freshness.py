"""Freshness per dataset from the registry (`freshness_days`): the producer's last update (or
our retrieval time when the file carries none, e.g. the bundled sample) must be younger than
that. The ingest asset records it as `dagster/last_updated_timestamp`.

Dagster marks these builders "superseded" by `FreshnessPolicy`, which judges the time of the
last materialization. Here the question is how old the producer's data is (a refresh today
of a table Eurostat last updated a year ago is not fresh), which only the last-update checks
answer; their SupersessionWarning is therefore silenced, here only, instead of printed on
every definitions load.
"""

import warnings
from datetime import timedelta

import dagster as dg

from pipelines.publish.keys import asset_key, raw_key
from pipelines.registry import load_registry


def build_freshness_checks() -> list[dg.AssetChecksDefinition]:
    by_days: dict[int, list[dg.AssetKey]] = {}
    for code, dataset in load_registry().datasets.items():
        if dataset["source"] == "eurostat" and dataset.get("freshness_days"):
            key = asset_key(raw_key("eurostat", code))
            by_days.setdefault(int(dataset["freshness_days"]), []).append(key)
    checks: list[dg.AssetChecksDefinition] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.SupersessionWarning)
        for days, keys in sorted(by_days.items()):
            checks += dg.build_last_update_freshness_checks(
                assets=keys,
                lower_bound_delta=timedelta(days=days),
                severity=dg.AssetCheckSeverity.WARN,
            )
    return checks


def build_freshness_sensor(checks: list[dg.AssetChecksDefinition]) -> dg.SensorDefinition:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.SupersessionWarning)
        return dg.build_sensor_for_freshness_checks(
            freshness_checks=checks,
            name="eurostat_freshness",
            minimum_interval_seconds=3600,
            default_status=dg.DefaultSensorStatus.STOPPED,
        )
