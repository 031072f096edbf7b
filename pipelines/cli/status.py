"""`monitor status`: what is published, how it passed the gate, where it came from."""

from __future__ import annotations

import json
import sys

from pipelines.cli.query import open_read_only


def run(args) -> int:
    from pipelines.settings import paths
    from pipelines.warehouse import ledger

    where = paths()
    if not where.published_db.exists():
        print(f"Nothing published yet ({where.published_db}). Run `monitor refresh`.")
        _print_attempts(ledger.read(where.ledger))
        _print_gate(where)
        _print_quarantine(where)
        _print_runs(where, args)
        return 0
    con = open_read_only(where.published_db)
    try:
        pub_id, published_at, is_sample, source, version = con.execute(
            "select publication_id, published_at, is_sample, source, code_version from publication_info"
        ).fetchall()[0]
        log = con.execute(
            "select gate_passed, gate_warnings, snapshots, table_rows from publication_log "
            "where publication_id = ?",
            [pub_id],
        ).fetchall()[0]
        has_sources = bool(
            con.execute(
                "select count(*) from information_schema.tables where table_name = 'dim_source'"
            ).fetchall()[0][0]
        )
        if has_sources:
            from pipelines.cli.history import print_freshness

            freshness = _captured(print_freshness, con)
        else:
            freshness = ""
    finally:
        con.close()
    gate_passed, warnings, snapshots, rows = (
        log[0],
        json.loads(log[1]),
        json.loads(log[2]),
        json.loads(log[3]),
    )
    print(f"Published database: {where.published_db}")
    print(
        f"  publication {pub_id} at {published_at:%Y-%m-%d %H:%M:%S %Z} from source '{source}'"
        + ("  ** SAMPLE DATA **" if is_sample else "")
    )
    print(f"  code version {version}")
    print(f"  quality gate: {'passed' if gate_passed else 'FAILED'}, {len(warnings)} warning(s)")
    for w in warnings:
        print(f"    - {w}")
    print("  tables: " + ", ".join(f"{t} ({n})" for t, n in sorted(rows.items())))
    print("  snapshots:")
    for s in snapshots:
        print(
            f"    - {s['dataset']:<20} {s['snapshot_id']}  [{s['mode']}] sha256 {s['sha256'][:12]}…"
        )
    report = where.report_dir / "index.html"
    print(f"  report: {report if report.exists() else '(not built)'}")
    entries = ledger.read(where.ledger)
    later = [e for e in entries if e.get("recorded_at", "") > str(published_at.isoformat())]
    _print_attempts([e for e in later if e.get("status") != "published"])
    _print_gate(where)
    _print_quarantine(where)
    print(freshness, end="")
    _print_runs(where, args)
    return 0


def _print_quarantine(where) -> None:
    from pipelines.cli.quarantine import print_list
    from pipelines.sources.quarantine import list_quarantined

    print(print_list(list_quarantined(where.raw)), end="")


def _print_runs(where, args) -> None:
    from pipelines.cli.history import print_runs

    print_runs(where.dagster_home, getattr(args, "runs", 5))


def _captured(fn, *args) -> str:
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        fn(*args)
    return buffer.getvalue()


def _print_gate(where) -> None:
    """The latest run of each gate stage, in plain words."""
    from pipelines.publish.publication import STAGES, load_gate_record

    for stage in STAGES:
        record = load_gate_record(where.quality, stage)
        if record is None:
            continue
        failed = [o for o in record["outcomes"] if not o["success"]]
        errors = [o for o in failed if o["severity"] == "error"]
        state = "passed" if record["passed"] else "FAILED (publication blocked)"
        print(
            f"Last {stage} quality gate {record['validated_at'][:19]}: {state}; "
            f"{len(record['outcomes'])} expectations, {len(errors)} blocking, {len(failed) - len(errors)} warnings"
        )
        for o in failed[:15]:
            example = ", ".join(
                "/".join(str(v) for v in r.values()) for r in o["unexpected_rows"][:2]
            )
            print(
                f"  - [{o['severity']}] {o['suite']}: {o['description'] or o['expectation']} "
                f"({o['name']}) failed for {o['unexpected_count']} row(s)"
                + (f", e.g. {example}" if example else "")
            )
        if record.get("data_docs"):
            print(f"  Data Docs: {record['data_docs']}")


def _print_attempts(entries: list[dict]) -> None:
    if not entries:
        return
    print("Refused publication attempts since then:", file=sys.stdout)
    for e in entries[-5:]:
        print(f"  - {e.get('recorded_at', '?')[:19]}: {e.get('reason', '')[:300]}")
