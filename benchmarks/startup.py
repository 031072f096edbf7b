"""Start-up costs: loading the Dagster definitions (as `dagster definitions validate` and as a
plain import) and `monitor query`, against bare interpreter start-ups in the same run.
Goal: <= 3 s each."""

from __future__ import annotations

from benchmarks.harness import BIN, Figure, Goal, Session, measure, median, python

GOAL = Goal("max_value", 3.0)


def _median_run(session: Session, cmd: list[str], env: dict, what: str) -> tuple[float, float]:
    runs = [measure(cmd, env=env).check(what) for _ in range(2 if session.quick else 5)]
    return median([r.wall_s for r in runs]), max(r.peak_mb for r in runs)


def run(session: Session) -> list[Figure]:
    home = session.fresh("startup") / "home"
    env = session.home_env(home)
    bare, bare_mb = _median_run(session, python("pass"), env, "python -c pass")
    dagster, dagster_mb = _median_run(session, python("import dagster"), env, "import dagster")
    db = session.published_home() / "published" / "monitor.duckdb"
    steps = [
        (
            "dagster definitions validate -w workspace.yaml",
            [str(BIN / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
            "python -c 'import dagster'",
            dagster,
        ),
        (
            "python -c 'import pipelines.definitions'",
            python("import pipelines.definitions"),
            "python -c 'import dagster'",
            dagster,
        ),
        (
            "monitor query 'select 1' (start-up)",
            [str(BIN / "monitor"), "query", "select 1", "--db", str(db)],
            "python -c pass",
            bare,
        ),
    ]
    figures = [
        Figure("python -c pass", bare, peak_mb=bare_mb, note="baseline"),
        Figure(
            "python -c 'import dagster'",
            dagster,
            baseline="python -c pass",
            baseline_value=bare,
            peak_mb=dagster_mb,
            note="baseline",
        ),
    ]
    for name, cmd, base_name, base in steps:
        value, peak = _median_run(session, cmd, env, name)
        figures.append(
            Figure(
                name,
                value,
                baseline=base_name,
                baseline_value=base,
                goal=GOAL,
                peak_mb=peak,
                note="median",
            )
        )
    return figures
