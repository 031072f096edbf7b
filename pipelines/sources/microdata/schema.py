"""The microdata file's schema (docs/microdata.md), checked on read in one DuckDB pass.

Every problem is a MicrodataError naming the file, the column, the first failing row (1-based
data row; CSV line = row + 1) and how many rows fail the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

REGIONS = ("BE21", "BE22", "BE23", "BE24", "BE25")


class MicrodataError(ValueError):
    """A microdata file that cannot be used; nothing was computed from it."""


@dataclass(frozen=True)
class Rule:
    column: str
    sql_type: str  # the type the column is read as (ID: an integer or text, kept as it is)
    check: str  # SQL over the typed value `v`; null passes only when `nullable`
    expected: str  # words for the error message
    nullable: bool = False


RULES = (
    Rule("person_id", "ID", "v::varchar <> ''", "a non-empty person identifier"),
    Rule("year", "INTEGER", "v between 1990 and 2100", "a year between 1990 and 2100"),
    Rule("quarter", "INTEGER", "v between 1 and 4", "a quarter 1-4"),
    Rule("weight", "DOUBLE", "isfinite(v) and v > 0", "a finite person weight > 0"),
    Rule("sex", "VARCHAR", "v in ('M', 'F')", "M or F"),
    Rule("age", "INTEGER", "v between 0 and 120", "an age in years 0-120"),
    Rule(
        "isced", "INTEGER", "v between 0 and 8", "an ISCED 2011 level 0-8 (empty: not stated)", True
    ),
    Rule(
        "country_of_birth",
        "VARCHAR",
        "v in ('NAT', 'EU', 'NEU')",
        "NAT, EU or NEU (empty: not stated)",
        True,
    ),
    Rule("disability", "VARCHAR", "v in ('Y', 'N')", "Y or N (empty: not stated)", True),
    Rule("region", "VARCHAR", "v in " + str(REGIONS), "a Flemish province code BE21-BE25"),
    Rule(
        "ilo_status",
        "INTEGER",
        "v in (1, 2, 3)",
        "an ILO status 1 employed, 2 unemployed, 3 inactive",
    ),
)
DESIGN_RULES = (
    Rule("strata", "VARCHAR", "length(v) > 0", "a non-empty stratum code"),
    Rule("psu", "VARCHAR", "length(v) > 0", "a non-empty primary sampling unit code"),
)


def open_source(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Create the view `microdata_raw` (file columns + `_row`) over the file; its column types."""
    if not path.is_file():
        raise MicrodataError(f"microdata file {path} does not exist")
    suffix = path.suffix.lower()
    quoted = str(path).replace("'", "''")
    try:
        if suffix == ".parquet":
            con.execute(
                "create or replace view microdata_raw as select * exclude (file_row_number), "
                f"file_row_number + 1 as _row from read_parquet('{quoted}', file_row_number = true)"
            )
        elif suffix in (".csv", ".gz"):
            # all text, in file order, so that a bad value is reported instead of guessed around
            con.execute(
                "create or replace temp table microdata_csv as select * from read_csv("
                f"'{quoted}', header = true, all_varchar = true)"
            )
            con.execute(
                "create or replace view microdata_raw as select *, rowid + 1 as _row from microdata_csv"
            )
        else:
            raise MicrodataError(
                f"{path.name}: use a .parquet or .csv file (got {suffix or 'no suffix'})"
            )
        described = con.execute("describe microdata_raw").fetchall()
    except duckdb.Error as exc:
        raise MicrodataError(f"{path.name}: cannot be read as {suffix[1:]}: {exc}") from exc
    columns = {r[0]: r[1] for r in described if r[0] != "_row"}
    missing = [r.column for r in RULES if r.column not in columns]
    if missing:
        raise MicrodataError(
            f"{path.name}: missing required column(s) {', '.join(missing)} "
            f"(found: {', '.join(columns)}; see docs/microdata.md)"
        )
    design = [r.column for r in DESIGN_RULES if r.column in columns]
    if len(design) == 1:
        raise MicrodataError(
            f"{path.name}: strata and psu go together; only {design[0]} is present"
        )
    return columns


def rules_for(columns: dict[str, str]) -> tuple[Rule, ...]:
    return RULES + (DESIGN_RULES if "psu" in columns else ())


_KINDS = {
    "ID": (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "VARCHAR",
    ),
    "INTEGER": ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"),
    "DOUBLE": ("FLOAT", "DOUBLE"),
    "VARCHAR": ("VARCHAR",),
}


def typed(rule: Rule, columns: dict[str, str]) -> str:
    """The column as its rule's type: as stored when it already is, else try_cast (null when
    the text is not a value of that type, which `validate` reports)."""
    name = f'"{rule.column}"'
    if columns.get(rule.column) in _KINDS[rule.sql_type]:
        return name
    return f"try_cast({name} as {'VARCHAR' if rule.sql_type == 'ID' else rule.sql_type})"


def typed_select(rules: tuple[Rule, ...], columns: dict[str, str]) -> str:
    return ", ".join(f'{typed(r, columns)} as "{r.column}"' for r in rules)


def violation(rule: Rule, columns: dict[str, str]) -> str:
    """SQL that is true for a row breaking the rule (wrong type, missing, out of domain)."""
    raw, value = f'"{rule.column}"', typed(rule, columns)
    bad_type = f"({raw} is not null and {value} is null)" if value != raw else "false"
    bad_null = "false" if rule.nullable else f"({raw} is null)"
    if rule.sql_type == "ID" and columns.get(rule.column) != "VARCHAR":
        return f"({bad_type} or {bad_null})"  # an integer id needs no text check
    return f"({bad_type} or {bad_null} or coalesce(not ({_bind(rule.check, value)}), false))"


def validate(con: duckdb.DuckDBPyConnection, path: Path, columns: dict[str, str]) -> int:
    """Check every rule over the whole file in one pass; the number of rows, or MicrodataError."""
    rules = rules_for(columns)
    counts = con.execute(
        "select count(*), "
        + ", ".join(f"count(*) filter (where {violation(r, columns)})" for r in rules)
        + " from microdata_raw"
    ).fetchall()[0]
    check_counts(
        con, path, columns, counts[0], dict(zip((r.column for r in rules), counts[1:], strict=True))
    )
    return counts[0]


def check_counts(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    columns: dict[str, str],
    rows: int,
    failed: dict[str, int],
) -> None:
    """Raise MicrodataError when a rule failed (counts per column), naming the first row."""
    if rows == 0:
        raise MicrodataError(f"{path.name}: the file holds no rows")
    failing = [
        (r, violation(r, columns), failed[r.column])
        for r in rules_for(columns)
        if failed.get(r.column)
    ]
    if not failing:
        return
    firsts = con.execute(
        "select "
        + ", ".join(
            f'min(_row) filter (where {b}), arg_min("{r.column}"::varchar, _row) filter (where {b})'
            for r, b, _ in failing
        )
        + " from microdata_raw"
    ).fetchall()[0]
    problems = []
    for i, (r, _, n) in enumerate(failing):
        first, value = firsts[2 * i], firsts[2 * i + 1]
        shown = "empty" if value is None else repr(value)
        more = f" (and {n - 1} more row(s))" if n > 1 else ""
        problems.append(f"column {r.column}, row {first}{more}: {shown} is not {r.expected}")
    raise MicrodataError(f"{path.name}: " + "; ".join(problems))


def _bind(check: str, value: str) -> str:
    """The rule's SQL with `v` replaced by the typed value expression."""
    return re.sub(r"\bv\b", value, check)
