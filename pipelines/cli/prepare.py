"""`monitor prepare`: build the dbt manifest once so definitions load without parsing dbt."""

from __future__ import annotations

import time


def run(args) -> int:
    from pipelines.defs.dbt.project import ensure_manifest, manifest_is_stale

    started = time.perf_counter()
    stale = args.force or manifest_is_stale()
    path = ensure_manifest(force=args.force)
    state = "built" if stale else "up to date"
    print(f"dbt manifest {state}: {path} ({time.perf_counter() - started:.1f}s)")
    from pipelines.settings import paths
    from pipelines.warehouse.instance import prepare_instance

    home = paths().dagster_home
    prepare_instance(home)
    print(f"Dagster instance: {home / 'dagster.yaml'}")
    return 0
