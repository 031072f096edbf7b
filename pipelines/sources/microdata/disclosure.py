"""Statistical disclosure control of the microdata cells, as plain SQL statements.

Rules (config/monitor.yaml `disclosure:`; why each exists: docs/microdata.md):

1. `min_respondents`: fewer than `min_n_publish` respondents (persons) in the cell.
2. `attribute_0_100`: fewer than `min_n_attribute` respondents with the attribute (the
   numerator, e.g. the employed) or without it (the complement). Covers 0 % and 100 %.
3. `dominance`: one respondent carries more than `max_dominance_pct` % of the weighted
   numerator or of the weighted complement (a respondent's weight summed over the quarters;
   for one whose categories change within the year, the whole year's weight: an upper bound).
4. `secondary`: complementary suppression. Each indicator x year x breakdown is a table whose
   rows are Flanders and the provinces and whose columns are the total and the categories;
   every row and column adds up. A suppressed cell can be recovered from the published ones
   exactly when it is a bridge of the graph whose vertices are the rows and columns and whose
   edges are the unpublished cells; bridges are removed by suppressing more cells, smallest
   first, until none is left.

Published counts are rounded to `round_counts_to` (0: not published), weighted populations
to `round_population_to`. The loop of rule 4 is driven from Python; every statement is a
SELECT that the driver materialises (portable SQL, as in `cells.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.sources.microdata.cells import NOT_STATED, indicator_id

Z95 = 1.959964
RULES = ("min_respondents", "attribute_0_100", "dominance", "secondary")
MAX_ROUNDS = 200

#: materialise(name, select): create (or replace) a temporary table `name` from a SELECT
Materialise = Callable[[str, str], None]
#: scalar(select): the first column of the first row


@dataclass(frozen=True)
class Rules:
    min_n_publish: int
    min_n_attribute: int
    max_dominance_pct: float
    round_counts_to: int
    round_population_to: int
    min_n_reliable: int

    @classmethod
    def from_config(cls, config: dict) -> Rules:
        d = config.get("disclosure", {})
        rules = cls(
            min_n_publish=int(d["min_n_publish"]),
            min_n_attribute=int(d["min_n_attribute"]),
            max_dominance_pct=float(d["max_dominance_pct"]),
            round_counts_to=int(d["round_counts_to"]),
            round_population_to=int(d["round_population_to"]),
            min_n_reliable=int(d["min_n_reliable"]),
        )
        rules.check()
        return rules

    def check(self) -> None:
        if min(self.min_n_publish, self.min_n_attribute, self.min_n_reliable) < 0:
            raise ValueError("disclosure: respondent thresholds must be >= 0")
        if not 0 < self.max_dominance_pct <= 100:
            raise ValueError("disclosure: max_dominance_pct must be in (0, 100]")
        if min(self.round_counts_to, self.round_population_to) < 0:
            raise ValueError("disclosure: rounding bases must be >= 0 (0: not published)")


def primary_sql(r: Rules) -> str:
    share = r.max_dominance_pct / 100
    dominance = (
        "0"  # 100 %: the rule is off (the bound for unstable respondents may exceed the cell)
        if r.max_dominance_pct >= 100
        else f"""case when max_person_y > {share} * a or max_person_n > {share} * (w - a)
        then 1 else 0 end"""
    )
    return f"""
select cell_id, ind, year, geo, breakdown, category, n_unweighted, w,
    case when n_unweighted < {r.min_n_publish} then 1 else 0 end as p_min,
    case when n_numerator < {r.min_n_attribute} or n_complement < {r.min_n_attribute}
        then 1 else 0 end as p_attribute,
    {dominance} as p_dominance
from cells"""


def table_cells_sql() -> str:
    """Each cell in the tables it belongs to: (indicator, year, breakdown) with row vertex
    `g:<geo>` and column vertex `c:<category>`; a total cell is the `c:total` column of every
    breakdown table of its indicator and year."""
    return f"""
select cell_id, ind, year, breakdown as tb, 'g:' || geo as rv, 'c:' || category as cv,
    n_unweighted as n, w, case when category = '{NOT_STATED}' then 1 else 0 end as is_ns
from primary_flags
where breakdown <> 'total'
union all
select c.cell_id, c.ind, c.year, b.breakdown as tb, 'g:' || c.geo as rv, 'c:total' as cv,
    c.n_unweighted as n, c.w, 0 as is_ns
from primary_flags c
join (
    select distinct ind, year, breakdown from primary_flags
    where breakdown <> 'total' and category <> '{NOT_STATED}'
) b on b.ind = c.ind and b.year = c.year
where c.breakdown = 'total'"""


def _edges_sql(status: str, r: Rules) -> str:
    """Unpublished cells: the suppressed ones and the not-stated groups large enough to
    hide something (a small not-stated group is treated as known)."""
    return f"""
select t.ind, t.year, t.tb, t.cell_id, t.rv, t.cv, t.is_ns
from table_cells t
join {status} s on s.cell_id = t.cell_id
where (t.is_ns = 0 and s.suppressed = 1) or (t.is_ns = 1 and t.n >= {r.min_n_publish})"""


_T = "ind, year, tb"


def _same(a: str, b: str) -> str:
    return " and ".join(f"{a}.{c} = {b}.{c}" for c in _T.split(", "))


def _reach_start_sql() -> str:
    """From each end of each suppressed cell (not through the cell itself, see _reach_step)."""
    return f"""
select {_T}, cell_id as e, cv as v, 'c' as side from edges where is_ns = 0
union all
select {_T}, cell_id as e, rv as v, 'r' as side from edges where is_ns = 0"""


def _ends_sql() -> str:
    """Each unpublished cell twice, once from each of its ends (an equality join for
    _reach_step)."""
    return f"""
select {_T}, cell_id, rv as v, cv as w from edges
union all
select {_T}, cell_id, cv as v, rv as w from edges"""


def _reach_step_sql(previous: str) -> str:
    return f"""
select distinct * from (
    select {_T}, e, v, side from {previous}
    union all
    select r.ind, r.year, r.tb, r.e, f.w as v, r.side
    from {previous} r
    join ends f on {_same("f", "r")} and f.v = r.v and f.cell_id <> r.e
) x"""


def _bridges_sql() -> str:
    """Suppressed cells whose row cannot be reached from their column without them."""
    return f"""
select e.ind, e.year, e.tb, e.cell_id as e
from edges e
left join reach r
    on {_same("r", "e")} and r.e = e.cell_id and r.side = 'c' and r.v = e.rv
where e.is_ns = 0 and r.e is null"""


def _chosen_sql(status: str) -> str:
    """Per bridge, the smallest published cell that closes a cycle through it (one end on
    each side), else the smallest one touching either side, else (a table that cannot be
    protected otherwise) every published cell of the table."""
    sides = {
        f"{end}{side}": f"""left join reach {end}{side}
            on {_same(f"{end}{side}", "b")} and {end}{side}.e = b.e
            and {end}{side}.side = '{side}' and {end}{side}.v = t.{end}v"""
        for end in ("r", "c")
        for side in ("c", "r")
    }
    priority = """case
            when (rc.v is not null and cr.v is not null) or (cc.v is not null and rr.v is not null)
                then 1
            when rc.v is not null or cc.v is not null or rr.v is not null or cr.v is not null
                then 2
            else 3
        end"""
    return f"""
select distinct cell_id from (
    select cell_id, priority,
        row_number() over (partition by {_T}, e order by priority, n, w, cell_id) as rank_,
        min(priority) over (partition by {_T}, e) as best
    from (
        select b.ind, b.year, b.tb, b.e, t.cell_id, t.n, t.w, {priority} as priority
        from bridges b
        join table_cells t on {_same("t", "b")}
        join {status} s on s.cell_id = t.cell_id
        {" ".join(sides.values())}
        where t.is_ns = 0 and s.suppressed = 0
    ) candidates
) ranked
where rank_ = 1 or best = 3"""


def _next_status_sql(status: str) -> str:
    return f"""
select s.cell_id,
    case when c.cell_id is not null then 1 else s.suppressed end as suppressed,
    case when c.cell_id is not null then 1 else s.secondary end as secondary
from {status} s
left join chosen c on c.cell_id = s.cell_id"""


def secondary_suppression(
    materialise: Materialise, scalar: Callable[[str], int], r: Rules
) -> tuple[str, int]:
    """Run rule 4 from the primary flags; the name of the final status table and the number
    of rounds it took."""
    materialise("table_cells", table_cells_sql())
    materialise(
        "status_0",
        "select cell_id, case when p_min + p_attribute + p_dominance > 0 then 1 else 0 end "
        "as suppressed, 0 as secondary from primary_flags",
    )
    for round_ in range(MAX_ROUNDS):
        status = f"status_{round_ % 2}"
        materialise("edges", _edges_sql(status, r))
        materialise("ends", _ends_sql())
        materialise("reach", _reach_start_sql())
        size = scalar("select count(*) from reach")
        while True:
            materialise("reach_next", _reach_step_sql("reach"))
            grown = scalar("select count(*) from reach_next")
            materialise("reach", "select * from reach_next")
            if grown == size:
                break
            size = grown
        materialise("bridges", _bridges_sql())
        if scalar("select count(*) from bridges") == 0:
            return status, round_
        materialise("chosen", _chosen_sql(status))
        if scalar("select count(*) from chosen") == 0:
            raise RuntimeError("disclosure control: a suppressed cell cannot be protected")
        materialise(f"status_{(round_ + 1) % 2}", _next_status_sql(status))
    raise RuntimeError(f"disclosure control did not settle in {MAX_ROUNDS} rounds")


def _rounded(column: str, base: int) -> str:
    if base <= 0:
        return "cast(null as bigint)"
    return f"cast(round(1.0 * {column} / {base}) * {base} as bigint)"


def published_sql(status: str, r: Rules, variance_method: str, significance_method: str) -> str:
    """The cells as they may leave the microdata step: suppressed cells keep only their
    keys, status and rule; counts rounded; not-stated groups dropped."""
    shown = "s.suppressed = 0"
    half = f"{Z95} * c.standard_error"
    return f"""
select
    {indicator_id("c.ind")} as indicator_id,
    c.year, c.geo, c.breakdown, c.category,
    case when {shown} then {_rounded("c.n_unweighted", r.round_counts_to)} end as n_unweighted,
    case when {shown} then {_rounded("c.n_records", r.round_counts_to)} end as n_records,
    c.n_quarters,
    case when {shown} then {_rounded("c.weighted_population", r.round_population_to)} end
        as weighted_population,
    case when {shown} then c.value end as value,
    case when {shown} then c.standard_error end as standard_error,
    case when {shown} then greatest(c.value - {half}, 0) end as ci_low,
    case when {shown} then least(c.value + {half}, 100) end as ci_high,
    case when {shown} then c.deff_kish end as deff_kish,
    '{variance_method}' as variance_method,
    '{significance_method}' as significance_method,
    case
        when s.suppressed = 1 then 'suppressed'
        when c.n_unweighted < {r.min_n_reliable} then 'low_reliability'
        else 'reliable'
    end as status,
    case
        when p.p_min = 1 then 'min_respondents'
        when p.p_attribute = 1 then 'attribute_0_100'
        when p.p_dominance = 1 then 'dominance'
        when s.secondary = 1 then 'secondary'
    end as suppression_rule
from cells c
join primary_flags p on p.cell_id = c.cell_id
join {status} s on s.cell_id = c.cell_id
where c.category <> '{NOT_STATED}'
order by c.ind, c.year, c.geo, c.breakdown, c.category"""


def counts_sql(status: str) -> str:
    """Cells each rule suppressed (a cell may break several primary rules; `secondary`
    counts only cells that broke none)."""
    return f"""
select sum(p.p_min), sum(p.p_attribute), sum(p.p_dominance),
    sum(case when s.secondary = 1 and p.p_min + p.p_attribute + p.p_dominance = 0
        then 1 else 0 end),
    sum(s.suppressed)
from primary_flags p
join {status} s on s.cell_id = p.cell_id
where p.category <> '{NOT_STATED}'"""
