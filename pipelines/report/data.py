"""Everything the report shows, read in one read-only connection to the published file.

The charted selections live here too, so a chart, its data table and its downloads are
built from the same rows: `series[indicator]` (Flanders, Belgium, the EU and the
neighbours, headline breakdown), `gaps[indicator]` (mart_group_gaps of one geography) and
`microdata_gaps[indicator]` (mart_microdata_gaps for Flanders, latest year).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

FOCUS = "BE2"  # Flanders
HEADLINE = ("BE2", "BE", "EU27_2020")  # the neighbours follow from dim_geo.is_neighbour
COUNT_UNITS = ("thousand_persons",)  # counts of people: charted for Flanders and Belgium only

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportData:
    publication: Row
    indicators: list[Row]
    geos: dict[str, Row]
    chart_geos: list[str]
    progress: list[Row]
    latest: dict[tuple[str, str], Row]
    benchmark: dict[tuple[str, str], Row]
    series: dict[str, list[Row]]
    gaps: dict[str, list[Row]]
    gaps_geo: dict[str, str]
    categories: dict[tuple[str, str, str], tuple[str, str]]
    snapshots: dict[str, Row]
    revisions: list[Row]
    log: list[Row]
    quality: list[Row]
    instruments: tuple[list[str], list[tuple]] | None
    # fct_indicator_values rows per delivery label (delivered, sample, synthetic)
    data_labels: dict[str, int]
    microdata_gaps: dict[str, list[Row]]

    def indicator(self, indicator_id: str) -> Row | None:
        return next((i for i in self.indicators if i["indicator_id"] == indicator_id), None)

    def target_lines(self, indicator_id: str) -> list[Row]:
        """The targets drawn on an indicator's chart: one line per level target, one per
        charted geography for a change in a count (its level differs by geography)."""
        charted = {r["geo"] for r in self.series.get(indicator_id, [])}
        lines: dict[tuple, Row] = {}
        for row in self.progress:
            if row["indicator_id"] != indicator_id or row["target_level"] is None:
                continue
            if row["kind"] == "count_change" and row["geo"] not in charted:
                continue
            key = (row["target_id"], row["geo"] if row["kind"] == "count_change" else None)
            lines.setdefault(key, row)
        return list(lines.values())


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[Row]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load(published_db: Path) -> ReportData:
    """Read the published marts (read-only; the connection is closed before returning)."""
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        return _load(con)
    finally:
        con.close()


def _load(con: duckdb.DuckDBPyConnection) -> ReportData:
    publication = _rows(con, "select * from publication_info")[0]
    indicators = _rows(
        con,
        """
        select * from dim_indicator
        order by case domain when 'armoede' then 1 when 'arbeidsmarkt' then 2 else 3 end,
                 indicator_id
        """,
    )
    geos = {g["geo"]: g for g in _rows(con, "select * from dim_geo")}
    neighbours = sorted(g for g, row in geos.items() if row["is_neighbour"])
    chart_geos = [*HEADLINE, *neighbours]
    progress = _rows(
        con,
        """
        select p.*, t.note
        from mart_target_progress p
        left join dim_target t using (target_id, geo)
        order by p.target_id, case p.geo when 'BE2' then 1 when 'BE' then 2 else 3 end
        """,
    )
    latest = {
        (r["indicator_id"], r["geo"]): r
        for r in _rows(con, "select * from mart_indicator_latest where geo in ?", [chart_geos])
    }
    benchmark = {
        (r["indicator_id"], r["geo"]): r
        for r in _rows(
            con,
            """
            select * from mart_benchmark where geo in ?
            qualify year = max(year) over (partition by indicator_id, geo)
            """,
            [chart_geos],
        )
    }
    series = _charted_series(con, indicators, chart_geos)
    gaps, gaps_geo = _charted_gaps(con)
    snapshots = {s["dataset"]: s for s in _rows(con, "select * from dim_snapshot")}
    revisions = _rows(con, "select * from mart_revisions order by dataset, series_key, period")
    log = _rows(con, "select * from publication_log order by recorded_at")
    for entry in log:
        for key in ("snapshots", "gate_warnings", "table_rows"):
            entry[key] = json.loads(entry[key]) if isinstance(entry[key], str) else entry[key]
    quality = _rows(con, "select * from quality_results order by stage, suite, name")
    return ReportData(
        publication=publication,
        indicators=indicators,
        geos=geos,
        chart_geos=chart_geos,
        progress=progress,
        latest=latest,
        benchmark=benchmark,
        series=series,
        gaps=gaps,
        gaps_geo=gaps_geo,
        categories={
            (r["indicator_id"], r["breakdown"], r["category"]): (r["category_nl"], r["category_en"])
            for r in _rows(
                con,
                "select distinct indicator_id, breakdown, category, category_nl, category_en "
                "from mart_indicator_series where breakdown <> 'total'",
            )
        },
        snapshots=snapshots,
        revisions=revisions,
        log=log,
        quality=quality,
        instruments=_instruments(con),
        data_labels=dict(
            con.execute(
                "select data_label, count(*) from fct_indicator_values group by data_label"
            ).fetchall()
        ),
        microdata_gaps=_microdata_gaps(con),
    )


def _charted_series(con, indicators: list[Row], chart_geos: list[str]) -> dict[str, list[Row]]:
    rows = _rows(
        con,
        """
        select indicator_id, geo, geo_name_nl, geo_name_en, period, period_year, value, unit,
               flags, is_series_break, is_sample, data_label
        from mart_indicator_series
        where breakdown = 'total' and value is not null and geo in ?
        order by indicator_id, period_year
        """,
        [chart_geos],
    )
    units = {i["indicator_id"]: i["unit"] for i in indicators}
    out: dict[str, list[Row]] = {i["indicator_id"]: [] for i in indicators}
    for row in rows:
        counts = units.get(row["indicator_id"]) in COUNT_UNITS
        if counts and row["geo"] not in ("BE2", "BE"):
            continue
        out.setdefault(row["indicator_id"], []).append(row)
    for rows_ in out.values():
        rows_.sort(key=lambda r: (chart_geos.index(r["geo"]), r["period_year"]))
    return out


def _charted_gaps(con) -> tuple[dict[str, list[Row]], dict[str, str]]:
    """Group gaps for Flanders, or for Belgium where Flanders has none."""
    rows = _rows(
        con,
        """
        select * from mart_group_gaps
        where geo in ('BE2', 'BE') and gap_pp is not null
        order by indicator_id, breakdown, group_category, year
        """,
    )
    by_geo: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_geo[row["indicator_id"]][row["geo"]].append(row)
    gaps, used = {}, {}
    for indicator_id, per_geo in by_geo.items():
        geo = "BE2" if per_geo.get("BE2") else "BE"
        gaps[indicator_id], used[indicator_id] = per_geo[geo], geo
    return gaps, used


def _microdata_gaps(con) -> dict[str, list[Row]]:
    """Flanders' microdata gaps of the latest year, per indicator (empty without a file)."""
    rows = _rows(
        con,
        f"""
        select g.*
        from mart_microdata_gaps g
        where g.geo = '{FOCUS}'
          and g.year = (select max(year) from mart_microdata_gaps m
                        where m.indicator_id = g.indicator_id)
        order by g.indicator_id, g.breakdown, g.group_category
        """,
    )
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row["indicator_id"]].append(row)
    return dict(out)


def _instruments(con) -> tuple[list[str], list[tuple]] | None:
    """The training-instruments delivery, once a mart for it is part of the publication."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'mart_training_instruments'"
    ).fetchone()[0]
    if not exists:
        return None
    cursor = con.execute("select * from mart_training_instruments")
    return [d[0] for d in cursor.description], cursor.fetchall()
