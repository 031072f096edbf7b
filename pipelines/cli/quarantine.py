"""`monitor quarantine list|drop ID`: the snapshots refused by ingest or the raw quality gate,
which never become a dataset's current vintage (pipelines/sources/quarantine.py)."""

from __future__ import annotations

import sys


def run(args) -> int:
    from pipelines.settings import paths
    from pipelines.sources.quarantine import QuarantineError, drop, list_quarantined, log_path

    raw = paths().raw
    if args.action == "list":
        if args.snapshot_id:
            print("error: `monitor quarantine list` takes no snapshot id", file=sys.stderr)
            return 2
        entries = list_quarantined(raw, include_dropped=args.all)
        print(print_list(entries, dropped=args.all, width=100_000), end="")
        return 0
    if not args.snapshot_id:
        print("error: `monitor quarantine drop` needs the snapshot id to drop", file=sys.stderr)
        return 2
    try:
        entry = drop(raw, args.snapshot_id, args.note)
    except QuarantineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"dropped {entry.snapshot_id} ({entry.source}/{entry.dataset}) from the quarantine list; "
        f"the snapshot stays in {entry.folder} and is never used unless offered again and "
        f"accepted; recorded in {log_path(raw)}"
    )
    return 0


def print_list(entries, dropped: bool = False, width: int = 160) -> str:
    """The listing shared by `monitor quarantine list` and `monitor status` (reasons cut at
    `width` characters)."""
    title = "Quarantined and dropped snapshots" if dropped else "Quarantined snapshots"
    if not entries:
        return f"{title}: none\n"
    lines = [f"{title} ({len(entries)}; never used as a current vintage):"]
    for entry in entries:
        lines.append(f"  - {entry.line(width)}")
    if not dropped:
        lines.append("  clear one with `monitor quarantine drop SNAPSHOT_ID`")
    return "\n".join(lines) + "\n"
