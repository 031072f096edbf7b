"""What a sensor-triggered refresh runs: only the raw assets whose source changed, everything
downstream of them (all dbt models), and every quality-gate check."""

from __future__ import annotations

import dagster as dg


def refresh_selection(raw_keys: list[dg.AssetKey], repository_def) -> tuple[list, list]:
    """(asset keys, check keys) for a subset of the `refresh` job.

    dbt runs whole: its staging checks are blocking, and a subset of the dbt multi-asset split
    around them would depend on itself. Both gate stages run in full because publication needs
    them to cover everything it will hold (unchanged datasets come from the raw gate's cache).
    """
    from pipelines.defs.dbt.assets import dbt_models
    from pipelines.publish.keys import is_gate_check

    graph = repository_def.asset_graph
    selection = dg.AssetSelection.assets(*raw_keys).downstream() | dg.AssetSelection.assets(
        *dbt_models.keys
    )
    gate = [k for k in graph.asset_check_keys if is_gate_check(k.name)]
    assets = sorted(selection.resolve(graph), key=lambda k: k.to_user_string())
    checks = sorted(
        {*selection.resolve_checks(graph), *gate},
        key=lambda k: (k.asset_key.to_user_string(), k.name),
    )
    return assets, checks
