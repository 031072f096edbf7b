"""Weighted indicators by breakdown from a microdata file, with standard errors, in DuckDB.

One scan of the file computes, per cell (indicator x year x geography x breakdown x
category) and per primary sampling unit, the weighted numerator and denominator, the
respondent count and the sums of squared weights; the variance of each ratio is then
computed from these small tables (see docs/microdata.md for the formulas):

- with `strata` and `psu` columns: Taylor linearisation of the ratio over PSUs within strata
  (ultimate-cluster, with-replacement approximation), a design-based variance;
- without them: the same linearisation with every record as its own unit, plus Kish's design
  effect of unequal weights for information; this ignores clustering and understates the
  variance.

Only these aggregates leave this module; disclosure control is applied before returning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.sources.microdata.schema import (
    REGIONS,
    open_source,
    rules_for,
    typed_select,
    validate,
    violation,
)

Z95 = 1.959964
DESIGN = "linearised_strata_psu"  # Taylor linearisation over PSUs within strata
RECORDS = "linearised_records"  # the same with each record as its own unit (no design info)


@dataclass(frozen=True)
class Indicator:
    id: str
    denominator: str  # SQL over the typed columns
    numerator: str  # SQL, evaluated within the denominator


INDICATORS = (
    Indicator("employment_rate_20_64", "age between 20 and 64", "ilo_status = 1"),
    Indicator(
        "unemployment_rate_15_74",
        "age between 15 and 74 and ilo_status in (1, 2)",
        "ilo_status = 2",
    ),
)

#: breakdown -> (SQL giving a category number, the category codes it numbers). Numbers are
#: cheaper to group and hash than text; null means not stated (left out of the breakdown).
BREAKDOWNS = {
    "sex": ("case sex when 'M' then 1 when 'F' then 2 end", ["M", "F"]),
    "age_band": (
        "case when age < 15 then null when age < 20 then 1 when age < 25 then 2 "
        "when age < 75 then (age - 5) // 10 + 1 end",
        ["Y15-19", "Y20-24", "Y25-34", "Y35-44", "Y45-54", "Y55-64", "Y65-74"],
    ),
    "education": (
        "case when isced <= 2 then 1 when isced <= 4 then 2 when isced <= 8 then 3 end",
        ["ED0-2", "ED3_4", "ED5-8"],
    ),
    "country_of_birth": (
        "case country_of_birth when 'NAT' then 1 when 'EU' then 2 when 'NEU' then 3 end",
        ["NAT", "EU27_2020_FOR", "NEU27_2020_FOR"],
    ),
    "disability": ("case disability when 'Y' then 1 when 'N' then 2 end", ["Y", "N"]),
}
REGION_NUMBER = (
    "case region "
    + " ".join(f"when '{code}' then {n}" for n, code in enumerate(REGIONS, 1))
    + " end"
)
FLANDERS = "BE2"


@dataclass(frozen=True)
class Thresholds:
    min_n_publish: int
    min_n_reliable: int

    @classmethod
    def from_config(cls, config: dict) -> Thresholds:
        disclosure = config.get("disclosure", {})
        return cls(int(disclosure["min_n_publish"]), int(disclosure["min_n_reliable"]))


def aggregate_file(path: Path, thresholds: Thresholds, threads: int | None = None) -> pl.DataFrame:
    """Validate the file and return one row per cell, disclosure control applied."""
    con = duckdb.connect()  # in memory: microdata never touch the warehouse file
    try:
        if threads:
            con.execute(f"set threads = {int(threads)}")
        columns = open_source(con, Path(path))
        frame = compute_cells(con, Path(path), columns)
    finally:
        con.close()
    return apply_disclosure(frame, thresholds)


def compute_cells(
    con: duckdb.DuckDBPyConnection, path: Path, columns: dict[str, str]
) -> pl.DataFrame:
    """Cells from the view `microdata_raw`, in a few passes (see the module docstring). The
    first pass also counts the rows breaking each rule of the schema: any such row stops
    everything with a MicrodataError before a figure is computed.

    Respondents are counted as distinct persons per year and cell. A person-year whose
    records all fall in one combination of categories counts once there (additive, cheap);
    the few whose categories change within the year (a birthday, a new status) are counted
    exactly with count(distinct) over their own records.
    """
    design, rules = "psu" in columns, rules_for(columns)
    con.execute(_flagged_sql(design, rules, columns))
    con.execute(_finest_sql())
    rows, bad = con.execute("select sum(rows), sum(bad_rows) from finest").fetchall()[0]
    if not rows or bad:
        validate(con, path, columns)  # names the column, first row and value, and raises
    con.execute(_persons_sql())
    # two category combinations sharing a hash would merge counts: then count all exactly
    collisions = con.execute(
        "select count(*) - count(distinct (year, sig)) from finest"
    ).fetchall()[0][0]
    con.execute(_unit_cells_sql(exact_all=collisions > 0))
    con.execute(_unstable_sql(exact_all=collisions > 0))
    cells = pl.from_arrow(con.sql(_cells_sql(design)).to_arrow_table())
    return cells.with_columns(variance_method=pl.lit(DESIGN if design else RECORDS))


_K = range(len(INDICATORS))
_DIMS = list(BREAKDOWNS)
_SIG = "hash(strata, psu, region, " + ", ".join(_DIMS) + ")"


def _sets(keys: list[str]) -> str:
    sets = []
    for geo in ([], ["region"]):
        sets.append(keys + geo)
        sets += [keys + geo + [d] for d in _DIMS]
    return ", ".join("(" + ", ".join(s) + ")" for s in sets)


def _labels() -> str:
    which = " ".join(f"when grouping({d}) = 0 then '{d}'" for d in _DIMS)
    codes = " ".join(
        f"when grouping({d}) = 0 then {labels}[{d}]" for d, (_, labels) in BREAKDOWNS.items()
    )
    return (
        f"coalesce({list(REGIONS)}[region], '{FLANDERS}') as geo, "
        f"case {which} else 'total' end as breakdown, case {codes} else 'total' end as category"
    )


def _stated() -> str:
    """Rows of a breakdown whose category is not stated are left out of that breakdown."""
    return " and ".join(f"(grouping({d}) = 1 or {d} is not null)" for d in _DIMS)


def _flagged_sql(design: bool, rules, columns: dict[str, str]) -> str:
    flags = ", ".join(
        f"({i.denominator}) as d{k}, ({i.denominator}) and ({i.numerator}) as y{k}"
        for k, i in enumerate(INDICATORS)
    )
    categories = ", ".join(f"{sql} as {name}" for name, (sql, _) in BREAKDOWNS.items())
    unit = "strata, psu" if design else "'-' as strata, '-' as psu"
    bad = " or ".join(violation(r, columns) for r in rules)
    return f"""
create or replace temp view checked as
select {typed_select(rules, columns)}, {bad} as bad from microdata_raw;
create or replace temp view flagged as
select person_id, year, quarter, weight, {REGION_NUMBER} as region, {unit}, {categories},
    {flags}, bad
from checked"""


def _finest_sql() -> str:
    sums = ", ".join(
        f"""count(*) filter (where d{k}) as rec{k}, sum(weight) filter (where d{k}) as w{k},
        sum(weight) filter (where y{k}) as a{k}, sum(weight * weight) filter (where d{k}) as ww{k},
        sum(weight * weight) filter (where y{k}) as wwy{k}"""
        for k in _K
    )
    keys = f"year, strata, psu, region, {', '.join(_DIMS)}"
    return f"""
create or replace temp table finest as
select *, {_SIG} as sig from (
    select {keys}, count(*) as rows, count(*) filter (where bad) as bad_rows, {sums}
    from flagged group by {keys}
)"""


def _persons_sql() -> str:
    ends = ", ".join(
        f"min({_SIG}) filter (where d{k}) as lo{k}, max({_SIG}) filter (where d{k}) as hi{k}"
        for k in _K
    )
    return f"""
create or replace temp table persons as
select year, person_id, {ends} from flagged
where {" or ".join(f"d{k}" for k in _K)}
group by year, person_id"""


def _unit_cells_sql(exact_all: bool) -> str:
    """Sums per cell and PSU, with the person-years counted once where they all fall."""
    single = "".join(
        f"""create or replace temp table single{k} as
        select year, lo{k} as sig, count(*) as s from persons
        where lo{k} = hi{k} and not {exact_all} group by all;
        """
        for k in _K
    )
    joins = " ".join(
        f"left join single{k} on single{k}.year = f.year and single{k}.sig = f.sig" for k in _K
    )
    sums = ", ".join(
        f"sum(single{k}.s) as s{k}, sum(rec{k}) as rec{k}, sum(w{k}) as w{k}, sum(a{k}) as a{k}, "
        f"sum(ww{k}) as ww{k}, sum(wwy{k}) as wwy{k}"
        for k in _K
    )
    return f"""{single}
create or replace temp table unit_cells as
select f.year as year, strata, psu, {_labels()}, {sums}
from finest f {joins}
group by grouping sets ({_sets(["f.year", "strata", "psu"])})
having {_stated()}"""


def _unstable_sql(exact_all: bool) -> str:
    """Exact distinct counts for person-years whose categories change within the year."""
    flags = ", ".join(
        f"coalesce(hi{k} is not null and (lo{k} <> hi{k} or {exact_all}), false) as u{k}"
        for k in _K
    )
    counts = ", ".join(
        f"count(distinct f.person_id) filter (where f.d{k} and u.u{k}) as x{k}" for k in _K
    )
    return f"""
create or replace temp table unstable as
select * from (select year, person_id, {flags} from persons)
where {" or ".join(f"u{k}" for k in _K)};
create or replace temp table unstable_cells as
select f.year as year, {_labels()}, {counts}
from flagged f join unstable u on u.year = f.year and u.person_id = f.person_id
group by grouping sets ({_sets(["f.year"])})
having {_stated()}"""


def _cells_sql(design: bool) -> str:
    longs = " union all ".join(
        f"""select '{i.id}' as indicator_id, k{k}.*
        from (select year, strata, psu, geo, breakdown, category, s{k} as s, rec{k} as rec,
            w{k} as w, coalesce(a{k}, 0) as a, ww{k} as ww, coalesce(wwy{k}, 0) as wwy
            from unit_cells where rec{k} > 0) as k{k}"""
        for k, i in enumerate(INDICATORS)
    )
    extra = " union all ".join(
        f"""select '{i.id}' as indicator_id, year, geo, breakdown, category, x{k} as x
        from unstable_cells where x{k} > 0"""
        for k, i in enumerate(INDICATORS)
    )
    variance = (
        """(select sum(s.n_h / (s.n_h - 1) * (s.zz - s.z * s.z / s.n_h))
            from strata_terms s where s.cell_id = c.cell_id and s.n_h > 1)"""
        if design
        else "c.rec / nullif(c.rec - 1, 0) * (c.wwy * (1 - 2 * c.r) + c.r * c.r * c.ww) / (c.w * c.w)"
    )
    return f"""
with long as ({longs}),
extra as ({extra}),
cells as (
    select indicator_id, year, geo, breakdown, category,
        row_number() over () as cell_id,
        coalesce(sum(s), 0)::bigint as n_single, sum(rec)::bigint as rec, sum(w) as w,
        sum(a) as a, sum(ww) as ww, sum(wwy) as wwy, sum(a) / sum(w) as r
    from long
    group by indicator_id, year, geo, breakdown, category
),
psus as (
    select year, strata, count(distinct psu) as n_h from finest group by year, strata
),
strata_terms as (
    select c.cell_id, l.strata, any_value(p.n_h) as n_h,
        sum((l.a - c.r * l.w) / c.w) as z, sum(((l.a - c.r * l.w) / c.w) ^ 2) as zz
    from long l
    join cells c using (indicator_id, year, geo, breakdown, category)
    join psus p on p.year = l.year and p.strata = l.strata
    group by c.cell_id, l.strata
),
quarters as (
    select year, count(distinct quarter) as n_quarters from flagged group by year
),
final as (
    select c.indicator_id, c.year, c.geo, c.breakdown, c.category,
        (c.n_single + coalesce(e.x, 0))::bigint as n_unweighted, c.rec as n_records,
        c.w / q.n_quarters as weighted_population,
        100 * c.r as value,
        100 * sqrt(greatest({variance}, 0)) as standard_error,
        c.rec * c.ww / (c.w * c.w) as deff_kish,
        q.n_quarters
    from cells c
    join quarters q using (year)
    left join extra e using (indicator_id, year, geo, breakdown, category)
)
select * from final order by indicator_id, year, geo, breakdown, category
"""


def apply_disclosure(frame: pl.DataFrame, t: Thresholds) -> pl.DataFrame:
    """Suppress cells under `min_n_publish` respondents, flag those under `min_n_reliable`.

    A suppressed cell keeps only its keys and status: no value, no interval, no counts."""
    status = (
        pl.when(pl.col("n_unweighted") < t.min_n_publish)
        .then(pl.lit("suppressed"))
        .when(pl.col("n_unweighted") < t.min_n_reliable)
        .then(pl.lit("low_reliability"))
        .otherwise(pl.lit("reliable"))
    )
    shown = pl.col("status") != "suppressed"
    hidden = ("n_unweighted", "n_records", "weighted_population", "value", "standard_error")
    out = frame.with_columns(status.alias("status")).with_columns(
        [pl.when(shown).then(pl.col(c)).otherwise(None).alias(c) for c in (*hidden, "deff_kish")]
    )
    half = Z95 * pl.col("standard_error")
    return out.with_columns(
        ci_low=pl.when(shown).then(pl.max_horizontal(pl.col("value") - half, pl.lit(0.0))),
        ci_high=pl.when(shown).then(pl.min_horizontal(pl.col("value") + half, pl.lit(100.0))),
        is_low_reliability=pl.col("status") == "low_reliability",
        is_suppressed=pl.col("status") == "suppressed",
    )
