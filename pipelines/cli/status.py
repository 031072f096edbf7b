"""`monitor status`: what is published, how it passed the gate, where it came from."""

from __future__ import annotations

import json
import sys

from pipelines.cli.query import open_read_only


def run(args) -> int:
    from pipelines.lib import ledger
    from pipelines.lib.publication import load_gate_record
    from pipelines.settings import paths

    where = paths()
    if not where.published_db.exists():
        print(f"Nothing published yet ({where.published_db}). Run `monitor refresh`.")
        _print_attempts(ledger.read(where.ledger))
        return 1
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
    gate = load_gate_record(where.quality)
    if gate and not gate["passed"]:
        print("Last quality gate run FAILED (not published):")
        for o in gate["outcomes"]:
            if not o["success"] and o["severity"] == "error":
                print(
                    f"  - {o['table']}.{o['column'] or ''}: {o['expectation']} — {o['unexpected_count']} row(s)"
                )
    return 0


def _print_attempts(entries: list[dict]) -> None:
    if not entries:
        return
    print("Refused publication attempts since then:", file=sys.stdout)
    for e in entries[-5:]:
        print(f"  - {e.get('recorded_at', '?')[:19]}: {e.get('reason', '')[:300]}")
