"""`monitor parse FILE`: the pipeline's own parser, observations as CSV on stdout."""

from __future__ import annotations

import sys

from pipelines.sources.eurostat.parsing import ParseError, parse_file


def run(args) -> int:
    try:
        parsed = parse_file(args.file, dataset=args.dataset)
    except ParseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in parsed.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    stamp = f", last update {parsed.last_update:%Y-%m-%d %H:%M}" if parsed.last_update else ""
    print(
        f"{args.file}: {parsed.format}, dataset {parsed.dataset}, {parsed.rows} observations{stamp}",
        file=sys.stderr,
    )
    import polars as pl

    out = parsed.frame.with_columns(pl.col("flags", "conf_status").replace("", None))
    out.write_csv(sys.stdout, null_value="")
    return 0
