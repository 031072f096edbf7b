"""Start-up costs: loading the Dagster definitions (as `dagster definitions validate` and as a
plain import) and `monitor query`, against baselines in the same run: a bare interpreter,
`import dagster`, and `dagster definitions validate` of an empty `Definitions()` (Dagster's
own floor for the command: CLI, instance, code-location server, snapshot). Goal: <= 3 s
each, and `dagster definitions validate` <= 1.5x the empty-Definitions floor (issue 21)."""

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
    empty = home.parent / "empty_defs.py"
    empty.write_text("import dagster as dg\n\ndefs = dg.Definitions()\n")
    validate = [str(BIN / "dagster"), "definitions", "validate"]
    floor, floor_mb = _median_run(session, [*validate, "-f", str(empty)], env, "validate empty")
    db = session.published_home() / "published" / "monitor.duckdb"
    steps = [
        (
            "dagster definitions validate -w workspace.yaml",
            [*validate, "-w", "workspace.yaml"],
            "validate of an empty Definitions()",
            floor,
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
        Figure(
            "validate of an empty Definitions()",
            floor,
            baseline="python -c 'import dagster'",
            baseline_value=dagster,
            peak_mb=floor_mb,
            note="baseline: Dagster's floor",
        ),
    ]
    for name, cmd, base_name, base in steps:
        value, peak = _median_run(session, cmd, env, name)
        if base is floor:
            figures.append(
                Figure(
                    f"{name}, against Dagster's floor",
                    value,
                    baseline=base_name,
                    baseline_value=base,
                    goal=Goal("max_ratio", 1.5),
                    peak_mb=peak,
                    note="median",
                )
            )
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
