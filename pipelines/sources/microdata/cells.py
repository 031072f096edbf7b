"""Cells from person records, as plain SQL SELECT statements (one per step).

Every statement reads the steps before it by name and uses only SQL that DuckDB, PostgreSQL
and Spark share: CTE-free selects, `case`, `sum`/`max`/`count(distinct)`, `grouping sets`
with `grouping()`, joins, `coalesce`, `sqrt`, `greatest`. No hashes, lists, maps, `filter`
clauses, `::` casts, integer division or `group by all` (docs/microdata.md, "Engines"). The
driver (`aggregate.py`) materialises each step as a temporary table or view.

Input: `checked`, one row per record with the typed schema columns and a `bad` flag (built
by `schema.py`, the only engine-specific part). Output: `cells`, one row per indicator x
year x geography x breakdown x category (with `not_stated` categories, used by disclosure
control and never published), with counts of respondents, weighted sums, the value and its
standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.sources.microdata.schema import REGIONS

FLANDERS = "BE2"
NOT_STATED = "not_stated"


@dataclass(frozen=True)
class Indicator:
    id: str
    denominator: str  # SQL over the typed columns
    numerator: str  # SQL, evaluated within the denominator


INDICATORS = (
    Indicator("employment_rate_20_64", "age between 20 and 64", "ilo_status = 1"),
    Indicator(
        "unemployment_rate",
        "age between 15 and 74 and ilo_status in (1, 2)",
        "ilo_status = 2",
    ),
)

#: breakdown -> (SQL giving a category number 1..n, the n category codes). Null: not stated.
BREAKDOWNS = {
    "sex": ("case sex when 'M' then 1 when 'F' then 2 end", ["M", "F"]),
    "age_band": (
        "case when age between 15 and 19 then 1 when age between 20 and 24 then 2 "
        "when age between 25 and 34 then 3 when age between 35 and 44 then 4 "
        "when age between 45 and 54 then 5 when age between 55 and 64 then 6 "
        "when age between 65 and 74 then 7 end",
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
DIMS = list(BREAKDOWNS)
_K = range(len(INDICATORS))


@dataclass(frozen=True)
class Step:
    name: str
    sql: str  # one SELECT
    view: bool = False  # a view (read once, by the next step) instead of a table


def _case(column: str, codes: list[str] | tuple[str, ...]) -> str:
    whens = " ".join(f"when {n} then '{code}'" for n, code in enumerate(codes, 1))
    return f"case {column} {whens} end"


REGION_NUMBER = (
    "case region " + " ".join(f"when '{c}' then {n}" for n, c in enumerate(REGIONS, 1)) + " end"
)


def _signature() -> str:
    """One integer per combination of province and categories (mixed radix, 0 = not stated)."""
    sql = "region"
    for dim, (_, codes) in BREAKDOWNS.items():
        sql = f"({sql}) * {len(codes) + 1} + coalesce({dim}, 0)"
    return sql


def _sets(keys: list[str]) -> str:
    """Flanders and each province, each as a total and by every breakdown."""
    sets = []
    for geo in ([], ["region"]):
        sets.append(keys + geo)
        sets += [keys + geo + [d] for d in DIMS]
    return ", ".join("(" + ", ".join(s) + ")" for s in sets)


def _labels() -> str:
    """geo, breakdown and category of a grouping-set row (a null category in a grouped
    breakdown is `not_stated`)."""
    which = " ".join(f"when grouping({d}) = 0 then '{d}'" for d in DIMS)
    codes = " ".join(
        f"when grouping({d}) = 0 then coalesce({_case(d, labels)}, '{NOT_STATED}')"
        for d, (_, labels) in BREAKDOWNS.items()
    )
    return (
        f"case when grouping(region) = 1 then '{FLANDERS}' else {_case('region', REGIONS)} end "
        f"as geo, case {which} else 'total' end as breakdown, "
        f"case {codes} else 'total' end as category"
    )


_CELL = "ind, year, geo, breakdown, category"


def _on(left: str, right: str, columns: str = _CELL) -> str:
    return " and ".join(f"{left}.{c} = {right}.{c}" for c in columns.split(", "))


def scan_steps(design: bool) -> list[Step]:
    """The pass over the records: `flagged` (the signature of each record's province and
    categories, indicator flags) and `finest` (records, weights and squared weights per year,
    PSU, signature and indicator flags, with the rows breaking a rule)."""
    # the indicator flags are keys: three sums serve every indicator (cheaper than ten)
    keys = ", ".join(["year, strata, psu, sig", *(f"d{k}, y{k}" for k in _K)])
    finest = f"""
select {keys}, count(*) as n_rows, sum(bad) as bad_rows, sum(weight) as sw,
    sum(weight * weight) as sww
from flagged
group by {keys}"""
    return [Step("flagged", _flagged("checked", design), view=True), Step("finest", finest)]


def _flagged(source: str, design: bool) -> str:
    """Each record of `source` (typed schema columns) with its signature and indicator flags."""
    numbers = ", ".join(f"{sql} as {name}" for name, (sql, _) in BREAKDOWNS.items())
    flags = ", ".join(
        f"case when ({i.denominator}) then 1 else 0 end as d{k}, "
        f"case when ({i.denominator}) and ({i.numerator}) then 1 else 0 end as y{k}"
        for k, i in enumerate(INDICATORS)
    )
    unit = "strata, psu" if design else "'-' as strata, '-' as psu"
    return f"""
select person_id, year, quarter, weight, bad, strata, psu, {_signature()} as sig,
    {", ".join(f"d{k}, y{k}" for k in _K)}
from (
    select person_id, year, quarter, weight, case when bad then 1 else 0 end as bad,
        {REGION_NUMBER} as region, {unit}, {numbers}, {flags}
    from {source}
) n"""


def cell_steps(design: bool) -> list[Step]:
    """From `flagged` and `finest` to `cells` (see the module docstring and
    docs/microdata.md for the respondent counts and the variance formulas)."""
    steps = [
        Step("person_years", _person_years()),
        Step("categories", _categories()),
        Step("stable", _stable()),
        Step("stable_cells", _stable_cells()),
        Step("unstable_rows", _unstable_rows(design)),
        Step("unstable_distinct", _unstable_distinct()),
        Step("unstable_cells", _unstable_cells()),
        Step("unit_cells", _unit_cells(design)),
        Step("cell_sums", _cell_sums()),
        Step(
            "quarters",
            "select year, count(distinct quarter) as n_quarters from flagged group by year",
        ),
    ]
    if design:
        steps += [
            Step(
                "psus",
                "select year, strata, count(distinct psu) as n_h from finest group by year, strata",
            ),
            Step("strata_terms", _strata_terms()),
            Step("variances", _design_variances()),
        ]
    steps.append(Step("cells", _cells(design)))
    return steps


def _categories() -> str:
    """Every signature with its province and category numbers (null: not stated)."""
    ranges = {"region": range(1, len(REGIONS) + 1)} | {
        d: range(0, len(codes) + 1) for d, (_, codes) in BREAKDOWNS.items()
    }
    numbers = " cross join ".join(
        f"({' union all '.join(f'select {n} as {name}' for n in values)}) {name}_n"
        for name, values in ranges.items()
    )
    stated = ", ".join(f"case when {d} > 0 then {d} end as {d}" for d in DIMS)
    return f"select region, {stated}, {_signature()} as sig from {numbers}"


def _person_years() -> str:
    """Person-years whose records (in any indicator's denominator) all fall in one
    combination of categories, the signature, are counted per signature, with whether they
    were in each indicator's numerator (fy) and complement (fn); the others ('unstable': a
    birthday into another age band) keep their person id and are counted exactly later.
    pwy/pwn: a person's weight in the numerator/complement, summed over the year's quarters
    (the dominance rule compares the largest with the cell's)."""
    weights = ", ".join(
        f"sum(y{k} * weight) as pwy{k}, sum((d{k} - y{k}) * weight) as pwn{k}" for k in _K
    )
    flags = ", ".join(
        f"case when pwy{k} > 0 then 1 else 0 end as fy{k}, "
        f"case when pwn{k} > 0 then 1 else 0 end as fn{k}"
        for k in _K
    )
    keys = ", ".join(["sig", "person_id", *(f"fy{k}, fn{k}" for k in _K)])
    maxima = ", ".join(f"max(pwy{k}) as pwy{k}, max(pwn{k}) as pwn{k}" for k in _K)
    return f"""
select year, {keys}, count(*) as persons, {maxima}
from (
    select year, case when lo = hi then lo end as sig,
        case when lo <> hi then person_id end as person_id, {flags},
        {", ".join(f"pwy{k}, pwn{k}" for k in _K)}
    from (
        select year, person_id, min(sig) as lo, max(sig) as hi, {weights}
        from flagged
        where {" or ".join(f"d{k} = 1" for k in _K)}
        group by year, person_id
    ) p
) q
group by year, {keys}"""


def _stable() -> str:
    parts = [
        f"""select {k} as ind, year, sig, sum(persons) as persons,
            sum(fy{k} * persons) as persons_y, sum(fn{k} * persons) as persons_n,
            max(case when fy{k} = 1 then pwy{k} end) as pwy,
            max(case when fn{k} = 1 then pwn{k} end) as pwn
        from person_years where sig is not null and fy{k} + fn{k} > 0 group by year, sig"""
        for k in _K
    ]
    return " union all ".join(parts)


def _stable_cells() -> str:
    return f"""
select ind, year, {_labels()}, sum(persons) as n_stable, sum(persons_y) as ny_stable,
    sum(persons_n) as nn_stable, max(pwy) as mpy_stable, max(pwn) as mpn_stable
from (
    select s.ind, s.year, s.persons, s.persons_y, s.persons_n, s.pwy, s.pwn, c.region, {", ".join(f"c.{d}" for d in DIMS)}
    from stable s
    join categories c on c.sig = s.sig
) j
group by grouping sets ({_sets(["ind", "year"])})"""


def _unstable_rows(design: bool) -> str:
    """The records of unstable person-years: one more pass over the file, joined to the
    short list of those person-years before anything is computed per record."""
    columns = ", ".join(
        ["f.year", "f.person_id", "f.sig"] + [f"f.d{k}, f.y{k}, u.pwy{k}, u.pwn{k}" for k in _K]
    )
    unstable = f"""(
    select year, person_id, {", ".join(f"pwy{k}, pwn{k}" for k in _K)}
    from person_years where person_id is not null
)"""
    records = f"""(
    select c.* from checked c
    join {unstable} i on i.year = c.year and i.person_id = c.person_id
) r"""
    return f"""
select {columns}
from ({_flagged(records, design)}) f
join {unstable} u on u.year = f.year and u.person_id = f.person_id"""


def _unstable_distinct() -> str:
    parts = [
        f"""select {k} as ind, year, person_id, sig, y{k} as y,
            case when y{k} = 1 then pwy{k} else pwn{k} end as pw
        from unstable_rows where d{k} = 1"""
        for k in _K
    ]
    return f"""
select u.ind, u.year, u.person_id, u.y, u.pw, c.region, {", ".join(f"c.{d}" for d in DIMS)}
from (select distinct * from ({" union all ".join(parts)}) p) u
join categories c on c.sig = u.sig"""


def _unstable_cells() -> str:
    """Distinct persons per cell, one grouping per cell kind: first one row per person and
    cell (cheaper than count(distinct) within grouping sets), then the cell's counts."""
    parts = []
    for geo in ([], ["region"]):
        for dim in [None, *DIMS]:
            keys = [*geo, *([dim] if dim else [])]
            geo_sql = _case("region", REGIONS) if geo else f"'{FLANDERS}'"
            category = (
                f"coalesce({_case(dim, BREAKDOWNS[dim][1])}, '{NOT_STATED}')" if dim else "'total'"
            )
            by = ", ".join(["ind", "year", "person_id", *keys])
            parts.append(
                f"""select ind, year, {geo_sql} as geo, '{dim or "total"}' as breakdown,
                    {category} as category, count(*) as n_unstable, sum(ymax) as ny_unstable,
                    sum(1 - ymin) as nn_unstable, max(pwy) as mpy_unstable,
                    max(pwn) as mpn_unstable
                from (
                    select {by}, max(y) as ymax, min(y) as ymin,
                        max(case when y = 1 then pw end) as pwy,
                        max(case when y = 0 then pw end) as pwn
                    from unstable_distinct group by {by}
                ) p
                group by {", ".join(["ind", "year", *keys])}"""
            )
    return " union all ".join(parts)


def _unit_cells(design: bool) -> str:
    """Sums per cell and primary sampling unit (per cell only without a design)."""
    parts = [
        f"""select {k} as ind, f.year, f.strata, f.psu, c.region,
            {", ".join(f"c.{d}" for d in DIMS)}, f.rec, f.w, f.a, f.ww, f.wwy
        from (
            select year, strata, psu, sig, sum(n_rows) as rec, sum(sw) as w,
                sum(y{k} * sw) as a, sum(sww) as ww, sum(y{k} * sww) as wwy
            from finest where d{k} = 1 group by year, strata, psu, sig
        ) f
        join categories c on c.sig = f.sig"""
        for k in _K
    ]
    unit = ["strata", "psu"] if design else []
    keys = ", ".join(["ind", "year", *unit])
    return f"""
select {keys}, {_labels()}, sum(rec) as rec, sum(w) as w, sum(a) as a, sum(ww) as ww,
    sum(wwy) as wwy
from ({" union all ".join(parts)}) f
group by grouping sets ({_sets(["ind", "year", *unit])})"""


def _cell_sums() -> str:
    return f"""
select {_CELL}, sum(rec) as rec, sum(w) as w, sum(a) as a, sum(ww) as ww, sum(wwy) as wwy,
    sum(a) / sum(w) as r
from unit_cells
group by {_CELL}"""


def _strata_terms() -> str:
    """Per cell and stratum: the sum and the sum of squares of the PSU totals of
    z = w (y - R x) / X (the linearised ratio)."""
    z = "(u.a - c.r * u.w) / c.w"
    return f"""
select {", ".join(f"u.{c}" for c in _CELL.split(", "))}, u.strata, max(p.n_h) as n_h,
    sum({z}) as z, sum(({z}) * ({z})) as zz
from unit_cells u
join cell_sums c on {_on("c", "u")}
join psus p on p.year = u.year and p.strata = u.strata
group by {", ".join(f"u.{c}" for c in _CELL.split(", "))}, u.strata"""


def _design_variances() -> str:
    """V = sum over strata with more than one PSU of n_h/(n_h - 1) sum_j (z_hj - z_h)^2."""
    return f"""
select {_CELL},
    sum(case when n_h > 1 then 1.0 * n_h / (n_h - 1) * (zz - z * z / n_h) end) as v
from strata_terms
group by {_CELL}"""


def _cells(design: bool) -> str:
    variance = (
        "coalesce(v.v, 0)"
        if design
        else "coalesce(1.0 * c.rec / nullif(c.rec - 1, 0) "
        "* (c.wwy * (1 - 2 * c.r) + c.r * c.r * c.ww) / (c.w * c.w), 0)"
    )
    join_variance = f"left join variances v on {_on('v', 'c')}" if design else ""
    return f"""
select
    row_number() over (order by c.ind, c.year, c.geo, c.breakdown, c.category) as cell_id,
    {", ".join(f"c.{col}" for col in _CELL.split(", "))},
    cast(coalesce(s.n_stable, 0) + coalesce(u.n_unstable, 0) as bigint) as n_unweighted,
    cast(coalesce(s.ny_stable, 0) + coalesce(u.ny_unstable, 0) as bigint) as n_numerator,
    cast(coalesce(s.nn_stable, 0) + coalesce(u.nn_unstable, 0) as bigint) as n_complement,
    cast(c.rec as bigint) as n_records,
    q.n_quarters,
    c.w,
    c.a,
    c.w / q.n_quarters as weighted_population,
    100 * c.r as value,
    100 * sqrt(greatest({variance}, 0)) as standard_error,
    1.0 * c.rec * c.ww / (c.w * c.w) as deff_kish,
    greatest(coalesce(s.mpy_stable, 0), coalesce(u.mpy_unstable, 0)) as max_person_y,
    greatest(coalesce(s.mpn_stable, 0), coalesce(u.mpn_unstable, 0)) as max_person_n
from cell_sums c
join quarters q on q.year = c.year
left join stable_cells s on {_on("s", "c")}
left join unstable_cells u on {_on("u", "c")}
{join_variance}"""


def indicator_id(column: str = "ind") -> str:
    """SQL naming the indicator of the number `column`."""
    whens = " ".join(f"when {column} = {k} then '{i.id}'" for k, i in enumerate(INDICATORS))
    return f"case {whens} end"
