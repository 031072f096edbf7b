"""Build the static report from the published DuckDB file (read-only) into a folder that
replaces the previous report in one rename."""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Built:
    path: Path
    pages: int


def build_report(published_db: Path, out_dir: Path, quality_dir: Path | None = None) -> Built:
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        info = con.execute("select * from publication_info").fetchall()[0]
        rows = con.execute(
            """
            with latest as (
                select indicator_id, geo, max(period) as period
                from fct_indicator_values
                where breakdown = 'total' and value is not null
                group by all
            )
            select i.indicator_id, i.name_nl, i.domain, i.unit, f.geo, f.period, f.value, f.flags
            from latest l
            join fct_indicator_values f using (indicator_id, geo, period)
            join dim_indicator i using (indicator_id)
            where f.breakdown = 'total' and f.geo in ('BE2', 'BE', 'EU27_2020')
            order by i.domain, i.indicator_id, f.geo
            """
        ).fetchall()
    finally:
        con.close()
    publication_id, published_at, is_sample = info[0], info[1], info[2]
    banner = (
        '<p class="sample" role="alert"><strong>SAMPLE DATA</strong> — synthetic figures for '
        "demonstration; not published statistics.</p>"
        if is_sample
        else ""
    )
    body = "\n".join(
        f"<tr><td>{html.escape(r[1])}</td><td>{r[2]}</td><td>{r[4]}</td><td>{r[5]}</td>"
        f"<td>{r[6]:.1f}</td><td>{r[3]}</td><td>{html.escape(r[7] or '')}</td></tr>"
        for r in rows
    )
    page = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Vlaamse beleidsmonitor</title>
<style>body{{font-family:sans-serif;margin:2rem;color:#111}} .sample{{background:#fde68a;padding:.5rem;border:2px solid #92400e}}
table{{border-collapse:collapse}} td,th{{border:1px solid #999;padding:.25rem .5rem}}</style></head>
<body><header>{banner}<h1>Vlaamse beleidsmonitor</h1>
<p>Publicatie {html.escape(publication_id)}, {published_at:%Y-%m-%d %H:%M} UTC</p></header>
<main><table><caption>Laatste waarde per indicator</caption>
<thead><tr><th>Indicator</th><th>Domein</th><th>Gebied</th><th>Periode</th><th>Waarde</th><th>Eenheid</th><th>Vlaggen</th></tr></thead>
<tbody>{body}</tbody></table></main></body></html>
"""
    return _swap_in(out_dir, {"index.html": page})


def _swap_in(out_dir: Path, files: dict[str, str]) -> Built:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir.parent))
    for name, text in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    old = out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return Built(out_dir, len(files))
