"""End-to-end `monitor refresh` of the bundled sample in a temp MONITOR_HOME (each a
subprocess: definitions load and start-up count), against a floor measured in the same run:
`dbt build` of the same project alone plus the Great Expectations validation alone (both
gate stages through pipelines.gate, GX import and Data Docs included).

Goals: cold full refresh <= 1.5x the floor; a refresh with nothing changed <= 5 s.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from benchmarks.harness import BIN, REPO, Figure, Goal, Run, Session, measure, median
from pipelines.settings import dbt_executable

DBT_ARGS = ["build", "--exclude", "test_type:unit", "--select", "fqn:*"]


def _refresh(session: Session, home: Path, *args: str) -> Run:
    return measure([str(BIN / "monitor"), "refresh", *args], env=session.home_env(home)).check(
        f"monitor refresh {' '.join(args)}"
    )


def _floor(session: Session, warehouse: Path, name: str, target: Path | None) -> tuple[Run, Run]:
    """dbt build alone, then both GX gate stages alone, on a copy of `warehouse`."""
    folder = session.fresh(f"floor-{name}")
    db = folder / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    env = session.env(MONITOR_HOME=str(folder), MONITOR_WAREHOUSE_DB=str(db))
    target = target or folder / "target"
    dbt = measure(
        [str(dbt_executable()), *DBT_ARGS, "--target-path", str(target)],
        env=env,
        cwd=REPO / "dbt_project",
    ).check("dbt build")
    gx = measure(
        [
            sys.executable,
            "-m",
            "benchmarks.refresh_end_to_end",
            "--gx",
            str(db),
            str(folder / "quality"),
        ],
        env=env,
    ).check("GX validation")
    return dbt, gx


def run(session: Session) -> list[Figure]:
    home = session.fresh("refresh") / "home"
    cold = _refresh(session, home)
    unchanged = [_refresh(session, home) for _ in range(2 if session.quick else 3)]
    assert all("result: UNCHANGED" in r.stdout for r in unchanged), unchanged[0].stdout
    forced = _refresh(session, home, "--force")
    dbt_cold, gx_cold = _floor(session, home / "warehouse.duckdb", "cold", None)
    # warm: dbt's partial parse state kept from the refresh, as a warm refresh has it
    warm_target = session.fresh("floor-warm-target")
    shutil.copytree(home / "dbt" / "target", warm_target, dirs_exist_ok=True)
    dbt_warm, gx_warm = _floor(session, home / "warehouse.duckdb", "warm", warm_target)
    floor_cold = dbt_cold.wall_s + gx_cold.wall_s
    floor_warm = dbt_warm.wall_s + gx_warm.wall_s
    ratio_goal = Goal("max_ratio", 1.5)
    no_change = median([r.wall_s for r in unchanged])
    return [
        Figure(
            "dbt build alone (cold parse)",
            dbt_cold.wall_s,
            peak_mb=dbt_cold.peak_mb,
            cpu_s=dbt_cold.cpu_s,
            note="floor part",
        ),
        Figure(
            "GX validation alone (raw + models)",
            gx_cold.wall_s,
            peak_mb=gx_cold.peak_mb,
            cpu_s=gx_cold.cpu_s,
            note="floor part",
        ),
        Figure(
            "cold full refresh (empty MONITOR_HOME)",
            cold.wall_s,
            baseline="floor: dbt build + GX alone",
            baseline_value=floor_cold,
            goal=ratio_goal,
            peak_mb=cold.peak_mb,
            cpu_s=cold.cpu_s,
            baseline_cpu_s=dbt_cold.cpu_s + gx_cold.cpu_s,
        ),
        Figure(
            "warm full refresh (--force, no new vintage)",
            forced.wall_s,
            baseline="floor: dbt build (partial parse) + GX",
            baseline_value=floor_warm,
            goal=ratio_goal,
            peak_mb=forced.peak_mb,
            cpu_s=forced.cpu_s,
            baseline_cpu_s=dbt_warm.cpu_s + gx_warm.cpu_s,
        ),
        Figure(
            "refresh with nothing changed",
            no_change,
            baseline="cold full refresh",
            baseline_value=cold.wall_s,
            goal=Goal("max_value", 5.0),
            peak_mb=max(r.peak_mb for r in unchanged),
            cpu_s=median([r.cpu_s for r in unchanged]),
            note=f"median of {len(unchanged)}",
        ),
    ]


def _gx_worker(warehouse: str, quality: str) -> None:
    from pipelines.gate import run_stage
    from pipelines.registry import load_registry

    reg = load_registry()
    results = [run_stage(stage, Path(warehouse), reg, Path(quality)) for stage in ("raw", "models")]
    print(
        json.dumps(
            {r.stage: {"passed": r.passed, "expectations": len(r.outcomes)} for r in results}
        )
    )


if __name__ == "__main__" and sys.argv[1:2] == ["--gx"]:
    _gx_worker(sys.argv[2], sys.argv[3])
