"""`monitor`: the command line of the Flemish policy monitor.

Imports are lazy per command: `monitor query` must start fast and never load Dagster,
dbt or Great Expectations.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monitor", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("refresh", help="ingest, build, gate, publish and report (through Dagster)")
    p.add_argument("--source", default="sample", help="sample (default), live, or dir:PATH")
    p.add_argument(
        "--as-of",
        metavar="DATE",
        help="rebuild from the snapshots stored on or before DATE (YYYY-MM-DD), without network; "
        "published to published/as-of/DATE/, the current publication is left alone",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="run every step even when nothing changed since the last publication",
    )

    sub.add_parser(
        "publish", help="re-run the quality gate on the warehouse as it is and publish if it passes"
    )

    p = sub.add_parser(
        "parse", help="parse one raw Eurostat file and write its observations as CSV"
    )
    p.add_argument("file")
    p.add_argument("--dataset", help="dataset code (default: from the file name)")

    p = sub.add_parser("query", help="run one read-only SQL query on the published database")
    p.add_argument("sql")
    p.add_argument("--csv", action="store_true", help="write CSV instead of a table")
    p.add_argument(
        "--db",
        help="published database (default: $MONITOR_PUBLISHED_DB or warehouse/published/monitor.duckdb)",
    )

    p = sub.add_parser(
        "status", help="last publication, its gate result, snapshots, freshness and last runs"
    )
    p.add_argument("--runs", type=int, default=5, help="how many recent runs to list (default 5)")

    sub.add_parser("report", help="rebuild the static report from the published database")

    p = sub.add_parser("registry", help="check the registry, or regenerate docs/indicators.md")
    p.add_argument("action", choices=["check", "docs"])
    p.add_argument("--folder", help="registry folder (default: registry/)")

    p = sub.add_parser("intake", help="check spreadsheet deliveries against their templates")
    p.add_argument("action", choices=["check"])
    p.add_argument("files", nargs="+")
    p.add_argument("--code", help="delivery code (default: from the file name)")

    p = sub.add_parser(
        "quarantine", help="snapshots refused by ingest or the raw gate: list them, or drop one"
    )
    p.add_argument("action", choices=["list", "drop"])
    p.add_argument("snapshot_id", nargs="?", help="the snapshot to drop (from `quarantine list`)")
    p.add_argument("--all", action="store_true", help="list dropped snapshots too")
    p.add_argument("--note", default="", help="why it is dropped (kept in the quarantine log)")

    p = sub.add_parser(
        "prepare", help="build the dbt manifest Dagster loads (done by make install)"
    )
    p.add_argument("--force", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        run = _command(args)
        return run(args)
    except KeyboardInterrupt:
        print(f"monitor {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every command ends in a message and an exit code, never a traceback
        return _failed(args.command, exc)


def _command(args):
    """The `run(args)` of the command, imported only when it is used."""
    if args.command == "refresh":
        from pipelines.cli.refresh import run
    elif args.command == "publish":
        from pipelines.cli.refresh import run_publish as run
    elif args.command == "parse":
        from pipelines.cli.parse import run
    elif args.command == "query":
        from pipelines.cli.query import run
    elif args.command == "status":
        from pipelines.cli.status import run
    elif args.command == "report":
        from pipelines.cli.report import run
    elif args.command == "registry":
        from pipelines.cli.registry import run
    elif args.command == "intake":
        from pipelines.cli.intake import run
    elif args.command == "quarantine":
        from pipelines.cli.quarantine import run
    else:
        from pipelines.cli.prepare import run
    return run


def _failed(command: str, exc: Exception) -> int:
    """A clear message for what stopped the command; the traceback goes to a log file."""
    from pipelines.registry import RegistryError
    from pipelines.settings import DbtNotInstalled

    if isinstance(exc, RegistryError):  # a broken registry stops any command before it runs
        print(
            f"monitor {command}: the registry is invalid; nothing was run or published.\n  {exc}",
            file=sys.stderr,
        )
        return 2
    if isinstance(exc, DbtNotInstalled):
        print(f"monitor {command}: nothing was run or published.\n  {exc}", file=sys.stderr)
        return 2
    log = _write_traceback(command)
    print(
        f"monitor {command}: error: {exc or type(exc).__name__}"
        + (f"\n  details: {log}" if log else ""),
        file=sys.stderr,
    )
    return 1


def _write_traceback(command: str):
    """The traceback of the exception being handled, in `$MONITOR_HOME/logs/` (None when
    that folder cannot be written)."""
    import time
    import traceback

    from pipelines.settings import paths

    try:
        folder = paths().home / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"monitor-{command}-error-{time.strftime('%Y%m%dT%H%M%S')}.log"
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return path
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
