"""`monitor refresh`: materialise every asset through the Dagster definitions (the same ones
`dagster dev -w workspace.yaml` shows), with progress on stderr and a closing summary."""

from __future__ import annotations

import sys
import time
from contextlib import redirect_stdout

from pipelines.sources.files import SourceError, SourceSpec
from pipelines.warehouse.instance import prepare_instance


def clean_leftovers(where) -> list[str]:
    """Remove half-written files a killed run may have left (never a finished file)."""
    from pipelines.sources.store import clean_incoming

    notes = []
    removed = clean_incoming(where.raw)
    if removed:
        notes.append(f"removed {removed} half-written snapshot folder(s)")
    for tmp in where.published_db.parent.glob(f".{where.published_db.name}.*.tmp*"):
        tmp.unlink(missing_ok=True)
        notes.append(f"removed unfinished publication {tmp.name}")
    return notes


def run(args) -> int:
    if getattr(args, "as_of", None) and args.source != "sample":
        print(
            "error: --as-of reads stored snapshots; it cannot be combined with --source",
            file=sys.stderr,
        )
        return 2
    try:
        spec = SourceSpec.parse(
            f"asof:{args.as_of}" if getattr(args, "as_of", None) else args.source
        )
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if spec.kind == "asof":
        import os

        from pipelines.settings import paths

        target = paths().published_db.parent / "as-of" / spec.as_of.isoformat() / "monitor.duckdb"
        os.environ["MONITOR_PUBLISHED_DB"] = str(target)
        return execute("refresh", spec)  # a rebuild as of a date is never skipped
    return execute("refresh", spec, skip_unchanged=not getattr(args, "force", False))


def unchanged_summary(spec: SourceSpec, where, started: float) -> str | None:
    """The closing summary when nothing changed since the last publication, else None
    (and the first reason why on stderr)."""
    from pipelines.publish.decision import check

    try:
        unchanged, reason = check(spec, where)
    except Exception as exc:  # a check that cannot be made is a reason to run, not to fail
        unchanged, reason = None, f"could not compare with the last publication: {exc}"
    if unchanged is None:
        print(f"monitor refresh: running every step ({reason})", file=sys.stderr)
        return None
    return "\n".join(
        [
            f"\nRefresh finished in {time.perf_counter() - started:.1f}s: nothing changed since "
            f"publication {unchanged.publication_id}",
            f"  sources: {unchanged.datasets} dataset(s) from {spec}, each identical (sha256) to "
            "the snapshot that publication used",
            "  registry, config, dbt models, expectations, code, tool versions, microdata file: "
            f"unchanged (fingerprint {unchanged.fingerprint[:12]})",
            "  warehouse: the published vintages are current, the marts are what the gate passed",
            "  skipped: ingest, dbt build, quality gate, publication, report "
            "(monitor refresh --force runs them anyway)",
            f"  published: {where.published_db} (publication {unchanged.publication_id}, unchanged)",
            "  result: UNCHANGED",
        ]
    )


def run_publish(args) -> int:
    return execute("publish", None)


def execute(job_name: str, spec: SourceSpec | None, skip_unchanged: bool = False) -> int:
    """Run a job under the warehouse lock (one writer at a time; a second run waits).

    `skip_unchanged`: stop before Dagster loads when nothing changed since the last
    publication (sample and dir sources), or skip dbt, gate and publication after the ingest
    when no dataset has a new vintage (any source)."""
    started = time.perf_counter()
    from pipelines.settings import config, export_env
    from pipelines.warehouse.lock import WarehouseLocked, warehouse_lock

    where = export_env()
    try:
        where.ensure()
    except OSError as exc:
        print(
            f"error: cannot write the warehouse folder {where.home}: {exc}; nothing was changed",
            file=sys.stderr,
        )
        return 3
    timeout = float(config().get("warehouse", {}).get("lock_timeout_s", 3600))

    def waiting(holder: dict) -> None:
        print(
            f"waiting for the warehouse: {holder.get('holder', 'another run')} "
            f"(pid {holder.get('pid', '?')}, since {holder.get('since', '?')}) is writing it",
            file=sys.stderr,
        )

    try:
        with warehouse_lock(where.home, f"monitor {job_name}", timeout, on_wait=waiting):
            if skip_unchanged and spec is not None and spec.kind in ("sample", "dir"):
                summary = unchanged_summary(spec, where, started)
                if summary is not None:
                    print(summary)
                    return 0
            return _execute_locked(job_name, spec, where, skip_unchanged)
    except WarehouseLocked as exc:
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 3
    except OSError as exc:
        print(
            f"error: cannot write the warehouse {where.home}: {exc}; nothing was changed",
            file=sys.stderr,
        )
        return 3


def _execute_locked(
    job_name: str, spec: SourceSpec | None, where, skip_unchanged: bool = False
) -> int:
    """Run a job of the Dagster definitions in this process, with progress and a summary."""
    prepare_instance(where.dagster_home)
    for note in clean_leftovers(where):
        print(f"recovery: {note}", file=sys.stderr)
    started = time.perf_counter()
    print(f"monitor {job_name}: source {spec or '-'}, warehouse {where.home}", file=sys.stderr)
    from pipelines.defs.dbt.project import ensure_manifest, manifest_is_stale

    if manifest_is_stale():
        print("building the dbt manifest (dbt parse)…", file=sys.stderr)
        ensure_manifest()
    import dagster as dg

    from pipelines.cli.summary import summarise
    from pipelines.definitions import defs
    from pipelines.defs.operations.sensors import failure_tags
    from pipelines.publish.fingerprint import inputs_fingerprint

    fingerprint = inputs_fingerprint()  # before the run: what this publication is made from

    job = defs.resolve_job_def(job_name)
    log_path = where.home / "logs" / f"{job_name}-{time.strftime('%Y%m%dT%H%M%S')}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"detailed log (dbt output): {log_path}", file=sys.stderr)
    with dg.DagsterInstance.get() as instance, open(log_path, "w") as log, redirect_stdout(log):
        result = job.execute_in_process(
            run_config={
                "resources": {"source": {"config": {"spec": str(spec or "sample")}}},
                "loggers": {"progress": {}},
            },
            instance=instance,
            raise_on_error=False,
            tags={
                "monitor/source": str(spec or "-"),
                "monitor/trigger": "cli",
                "monitor/inputs_fingerprint": fingerprint,
                "monitor/skip_unchanged": "1" if skip_unchanged else "0",
            },
        )
        summary = summarise(result, where, time.perf_counter() - started)
        # what the run-failure sensor does for runs launched by the daemon
        tags = failure_tags(result.get_step_failure_events())
        tags["monitor/result"] = "published" if summary.published else "not published"
        instance.add_run_tags(result.run_id, tags)
    print(summary.text)
    return 0 if summary.published else 1
