"""For `monitor status`: the last runs from the Dagster instance, and each dataset's
freshness against the registry's `freshness_days`."""

from __future__ import annotations

from datetime import UTC, datetime


def print_runs(dagster_home, limit: int) -> None:
    """The last `limit` runs: when, job, how started, source, result and what failed."""
    if not (dagster_home / "dagster.yaml").exists() and not (dagster_home / "history").exists():
        print("Runs: none recorded yet")
        return
    import dagster as dg

    from pipelines.warehouse.instance import prepare_instance

    prepare_instance(dagster_home)  # an instance folder of an older version names moved classes
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        records = instance.get_run_records(limit=limit)
        print(f"Last {len(records)} run(s):")
        for record in records:
            run, tags = record.dagster_run, record.dagster_run.tags
            start = datetime.fromtimestamp(record.start_time, UTC) if record.start_time else None
            took = (
                f"{record.end_time - record.start_time:.0f}s"
                if record.end_time and record.start_time
                else "-"
            )
            line = (f"  - {start:%Y-%m-%d %H:%M:%S} " if start else "  - (not started)      ") + (
                f"{run.job_name:<8} {run.status.value:<9} {took:>5}  "
                f"via {tags.get('monitor/trigger', tags.get('dagster/schedule_name', 'ui'))}, "
                f"source {tags.get('monitor/source', '?')}"
            )
            if tags.get("monitor/result"):
                line += f", {tags['monitor/result']}"
            print(line + f"  [{run.run_id[:8]}]")
            if tags.get("monitor/failed_step"):
                print(
                    f"      failed at {tags['monitor/failed_step']}: {tags.get('monitor/failure', '')}"
                )


def print_freshness(con) -> None:
    """Per dataset: age of the producer's last update (or of our retrieval) vs freshness_days."""
    rows = con.execute(
        """select dataset, current_last_update, current_retrieved_at, freshness_days
           from dim_source where current_snapshot_id is not null order by dataset"""
    ).fetchall()
    now = datetime.now(UTC)
    stale = []
    for dataset, last_update, retrieved, days in rows:
        stamp = last_update or retrieved
        if stamp is None or days is None:
            continue
        stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        age = (now - stamp).days
        if age > days:
            basis = "producer's last update" if last_update else "retrieved"
            stale.append(f"{dataset} ({basis} {age} days ago, expected within {days})")
    print(f"Freshness: {len(rows) - len(stale)} of {len(rows)} dataset(s) fresh")
    for item in stale:
        print(f"  - STALE {item}")
