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
    return 0
