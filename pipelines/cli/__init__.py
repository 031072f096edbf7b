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
        "prepare", help="build the dbt manifest Dagster loads (done by make install)"
    )
    p.add_argument("--force", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    else:
        from pipelines.cli.prepare import run
    from pipelines.lib.registry import RegistryError
    from pipelines.settings import DbtNotInstalled

    try:
        return run(args)
    except RegistryError as exc:  # a broken registry stops any command before it does anything
        print(
            f"monitor {args.command}: the registry is invalid; nothing was run or published.\n  {exc}",
            file=sys.stderr,
        )
        return 2
    except DbtNotInstalled as exc:
        print(f"monitor {args.command}: nothing was run or published.\n  {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
