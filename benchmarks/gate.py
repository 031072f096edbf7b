"""The quality gate's cost against the import it cannot avoid: both stages (raw, then models)
in a fresh process with an empty quality folder (a cold GX context: suites and
validation definitions added, every result stored, Data Docs rendered), against
`python -c "import great_expectations"` in the same run. Median of 3 each (2 quick).

Goal (issue 21): both stages <= 1.5x the import."""

from __future__ import annotations

import json
import shutil
import sys

from benchmarks.harness import Figure, Goal, Session, measure, median, python


def run(session: Session) -> list[Figure]:
    warehouse = session.published_home() / "warehouse.duckdb"
    repeats = 2 if session.quick else 3
    imports = [
        measure(python("import great_expectations"), env=session.env()).check("import GX")
        for _ in range(repeats)
    ]
    gates = []
    for i in range(repeats):
        folder = session.fresh(f"gate-{i}")
        db = folder / "warehouse.duckdb"
        shutil.copy(warehouse, db)
        env = session.env(MONITOR_HOME=str(folder), MONITOR_WAREHOUSE_DB=str(db))
        cmd = [sys.executable, "-m", "benchmarks.refresh_end_to_end", "--gx"]
        gates.append(measure([*cmd, str(db), str(folder / "quality")], env=env).check("gate"))
    stages = json.loads(gates[-1].stdout.strip().splitlines()[-1])
    checked = ", ".join(f"{s} {v['expectations']} expectations" for s, v in stages.items())
    gx_import = median([r.wall_s for r in imports])
    return [
        Figure(
            "python -c 'import great_expectations'",
            gx_import,
            peak_mb=max(r.peak_mb for r in imports),
            cpu_s=median([r.cpu_s for r in imports]),
            note=f"baseline, median of {repeats}",
        ),
        Figure(
            "quality gate: raw + models stages, cold GX context",
            median([r.wall_s for r in gates]),
            baseline="import great_expectations",
            baseline_value=gx_import,
            goal=Goal("max_ratio", 1.5),
            peak_mb=max(r.peak_mb for r in gates),
            cpu_s=median([r.cpu_s for r in gates]),
            baseline_cpu_s=median([r.cpu_s for r in imports]),
            note=f"median of {repeats}; {checked}",
        ),
    ]
