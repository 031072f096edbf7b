"""Everything the report shows, read in one read-only connection to the published file.

The charted selections live here too, so a chart, its data table and its downloads are
built from the same rows: `series[indicator]` (Flanders, Belgium, the EU and the
neighbours, headline breakdown; a confidential cell without a value, with its conf_status), `gaps[indicator]` (mart_group_gaps of one geography),
`breakdowns[indicator]` (categories and provinces of the latest year),
`ranking[indicator]` (the member states, Flanders and the EU in the latest benchmark year) and
`microdata_gaps[indicator]` (mart_microdata_gaps for Flanders, latest year).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.report.vocab import Vocabulary

FOCUS = "BE2"  # Flanders
HEADLINE = ("BE2", "BE", "EU27_2020")  # the neighbours follow from dim_geo.is_neighbour
COUNT_UNITS = ("thousand_persons", "persons", "count", "eur")  # charted for BE2 and BE only

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportData:
    publication: Row
    vocab: Vocabulary
    settings: dict[str, float]
    indicators: list[Row]
    geos: dict[str, Row]
    chart_geos: list[str]
    sources: dict[str, Row]
    progress: list[Row]
    latest: dict[tuple[str, str], Row]
    benchmark: dict[tuple[str, str], Row]
    ranking: dict[str, list[Row]]
    series: dict[str, list[Row]]
    gaps: dict[str, list[Row]]
    gaps_geo: dict[str, str]
    breakdowns: dict[str, list[Row]]
    categories: dict[tuple[str, str, str], tuple[str, str]]
    snapshots: dict[str, Row]
    revisions: list[Row]
    log: list[Row]
    quality: list[Row]
    instruments: list[Row] | None
    financing: list[Row]
    # fct_indicator_values rows per delivery label (delivered, sample, synthetic)
    data_labels: dict[str, int]
    microdata_gaps: dict[str, list[Row]]

    def indicator(self, indicator_id: str) -> Row | None:
        return next((i for i in self.indicators if i["indicator_id"] == indicator_id), None)

    def target_lines(self, indicator_id: str) -> list[Row]:
        """The targets drawn on an indicator's chart: one line per level target, one per
        charted geography for a change in a count (its level differs by geography)."""
        charted = {r["geo"] for r in self.series.get(indicator_id, []) if r["value"] is not None}
        lines: dict[tuple, Row] = {}
        for row in self.progress:
            if row["indicator_id"] != indicator_id or row["target_level"] is None:
                continue
            if row["kind"] == "count_change" and row["geo"] not in charted:
                continue
            key = (row["target_id"], row["geo"] if row["kind"] == "count_change" else None)
            lines.setdefault(key, row)
        return list(lines.values())

    def indicator_sources(self, ind: Row) -> list[Row]:
        """The dim_source rows behind an indicator (a derived one: its inputs' sources)."""
        if ind["dataset"]:
            found = self.sources.get(ind["dataset"])
            return [found] if found else []
        out: list[Row] = []
        for item in json.loads(ind["derived_inputs"] or "[]"):
            source = self.indicator(item["indicator"])
            for row in self.indicator_sources(source) if source else []:
                if row not in out:
                    out.append(row)
        return out


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
        select p.*, t.note, t.citation_nl, t.citation_en, t.note_nl, t.note_en
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
        vocab=Vocabulary.from_rows(_rows(con, "select * from dim_vocabulary")),
        settings={r["key"]: r["value"] for r in _rows(con, "select * from dim_setting")},
        indicators=indicators,
        geos=geos,
        chart_geos=chart_geos,
        sources={s["dataset"]: s for s in _rows(con, "select * from dim_source")},
        progress=progress,
        latest=latest,
        benchmark=benchmark,
        ranking=_ranking(con),
        series=series,
        gaps=gaps,
        gaps_geo=gaps_geo,
        breakdowns=_breakdowns(con),
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
        financing=_financing(con),
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
               flags, conf_status, is_series_break, is_sample, data_label
        from mart_indicator_series
        where breakdown = 'total' and (value is not null or is_confidential) and geo in ?
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


def _breakdowns(con) -> dict[str, list[Row]]:
    """Per indicator, the latest year of each breakdown for Flanders (Belgium where Flanders
    has none), and the Flemish provinces with Flanders as their reference (breakdown
    'province'). Every row: indicator_id, breakdown, category, label_nl/en, geo, year, value,
    flags, conf_status, is_reference; a confidential cell has no value and its status."""
    rows = _rows(
        con,
        """
        with categories as (
            select indicator_id, breakdown, category, category_nl as label_nl,
                   category_en as label_en, geo, period_year as year, value, flags,
                   conf_status, false as is_reference
            from mart_indicator_series
            where breakdown <> 'total' and geo in ('BE2', 'BE')
              and (value is not null or is_confidential)
              and period = cast(period_year as varchar)
        ),
        chosen_geo as (
            select indicator_id, breakdown,
                   case when count(*) filter (where geo = 'BE2') > 0 then 'BE2' else 'BE' end as geo
            from categories group by all
        ),
        latest as (
            select c.* from categories c join chosen_geo using (indicator_id, breakdown, geo)
            qualify year = max(year) over (partition by indicator_id, breakdown)
        ),
        totals as (
            select distinct l.indicator_id, l.breakdown, 'total' as category,
                   'totaal' as label_nl, 'total' as label_en, s.geo, s.period_year as year,
                   s.value, s.flags, s.conf_status, true as is_reference
            from latest l
            join mart_indicator_series s
              on s.indicator_id = l.indicator_id and s.geo = l.geo and s.breakdown = 'total'
             and s.period_year = l.year and s.period = cast(s.period_year as varchar)
            where s.value is not null or s.is_confidential
        ),
        provinces as (
            select s.indicator_id, 'province' as breakdown, s.geo as category,
                   g.name_nl as label_nl, g.name_en as label_en, s.geo, s.period_year as year,
                   s.value, s.flags, s.conf_status, false as is_reference
            from mart_indicator_series s join dim_geo g using (geo)
            where s.breakdown = 'total' and g.parent = 'BE2'
              and (s.value is not null or s.is_confidential)
              and s.period = cast(s.period_year as varchar)
            qualify s.period_year = max(s.period_year) over (partition by s.indicator_id)
        ),
        province_reference as (
            select distinct p.indicator_id, 'province' as breakdown, 'BE2' as category,
                   g.name_nl as label_nl, g.name_en as label_en, s.geo, s.period_year as year,
                   s.value, s.flags, s.conf_status, true as is_reference
            from provinces p
            join mart_indicator_series s
              on s.indicator_id = p.indicator_id and s.geo = 'BE2' and s.breakdown = 'total'
             and s.period_year = p.year and s.period = cast(s.period_year as varchar)
            join dim_geo g on g.geo = 'BE2'
            where s.value is not null or s.is_confidential
        )
        select * from latest
        union all select * from totals
        union all select * from provinces
        union all select * from province_reference
        order by indicator_id, breakdown, is_reference desc, category
        """,
    )
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row["indicator_id"]].append(row)
    return dict(out)


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


def _ranking(con) -> dict[str, list[Row]]:
    """The member states, Flanders and the EU aggregate in each indicator's latest benchmark
    year with a Flemish value (else Belgium's, else the latest), best first."""
    rows = _rows(
        con,
        """
        with years as (
            select indicator_id,
                   coalesce(max(year) filter (where geo = 'BE2'),
                            max(year) filter (where geo = 'BE'), max(year)) as year
            from mart_benchmark group by indicator_id
        )
        select b.indicator_id, b.geo, b.year, b.value, b.flags, b.rank_among_members,
               b.n_members, g.is_eu_member, g.name_nl, g.name_en
        from mart_benchmark b
        join years using (indicator_id, year)
        join dim_geo g using (geo)
        where (g.is_eu_member or b.geo in ('BE2', 'EU27_2020')) and b.value is not null
        order by b.indicator_id, b.rank_among_members, b.geo
        """,
    )
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row["indicator_id"]].append(row)
    return {k: v for k, v in out.items() if sum(r["is_eu_member"] for r in v) >= 2}


def _has_table(con, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchone()[0]
    )


def _instruments(con) -> list[Row] | None:
    """The training-instruments delivery, once a mart for it is part of the publication."""
    if not _has_table(con, "mart_training_instruments"):
        return None
    return _rows(
        con,
        "select * from mart_training_instruments "
        "order by year desc, inside_1_3bn desc, budget_eur desc nulls last, instrument",
    )


def _financing(con) -> list[Row]:
    if not _has_table(con, "mart_training_financing"):
        return []
    return _rows(con, "select * from mart_training_financing order by year, financing_group")
