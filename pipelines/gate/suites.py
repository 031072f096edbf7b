"""The gate's suites: JSON files in `expectations/suites/` (GX's suite format plus a `meta`
block naming the stage, the frame to validate and the Dagster asset the result belongs to),
per-dataset raw suites expanded from a template, and expectations derived from the registry.
Severity (error blocks, warn publishes) comes from `expectations/severity.yaml`."""

from __future__ import annotations

import fnmatch
import json
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from pipelines.gate.suite import Suite, expectation
from pipelines.registry import Registry
from pipelines.settings import EXPECTATIONS_DIR, config

FLANDERS = "BE2"


QUERIES_DIR = EXPECTATIONS_DIR / "queries"
FINITE_SUFFIX = "__finite"
HEADLINE_SUFFIX = "__headline_value"


def gate_parameters() -> dict[str, float]:
    """The settings consistency queries re-derive verdicts and classes with (`$name` in their
    SQL): config/monitor.yaml `progress:` and `benchmark:`, read here and not from the marts."""
    cfg = config()
    wanted = {
        "target_on_track": ("progress", "with_target", "on_track"),
        "target_moderate": ("progress", "with_target", "moderate"),
        "target_insufficient": ("progress", "with_target", "insufficient"),
        "direction_on_track": ("progress", "without_target", "on_track"),
        "direction_moderate": ("progress", "without_target", "moderate"),
        "direction_insufficient": ("progress", "without_target", "insufficient"),
        "cut_small": ("benchmark", "cut_small"),
        "cut_large": ("benchmark", "cut_large"),
    }
    out = {}
    for name, keys in wanted.items():
        value: Any = cfg
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, int | float):
            raise ValueError(
                f"config/monitor.yaml: {'.'.join(keys)} must be a number, not {value!r}"
            )
        out[name] = float(value)
    return out


def _frame_query(meta: dict[str, Any]) -> str:
    """The SQL that reads a suite's frame: `query_file` (under expectations/queries/),
    `query`, or the whole `table`."""
    if meta.get("query_file"):
        return (QUERIES_DIR / meta["query_file"]).read_text(encoding="utf-8")
    return meta.get("query") or f"select * from {meta['table']}"


def query_parameters(sql: str) -> dict[str, float]:
    """Values for the `$name` parameters a frame query uses (none: an empty dict)."""
    names = set(re.findall(r"\$([a-z_][a-z0-9_]*)", sql))
    if not names:
        return {}
    known = gate_parameters()
    unknown = names - set(known)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)} in a gate query")
    return {n: known[n] for n in sorted(names)}


def with_finite_checks(suite: Suite, float_columns: list[str], rules: dict[str, Any]) -> Suite:
    """Add `<table>.finite.<column>` for each floating-point column of the suite's mart.

    Great Expectations on pandas reads NaN as a missing value, so a range expectation passes
    NaN (and has no bound against infinity when it has no range). DuckDB still tells NaN from
    NULL: the frame gets `isfinite(<column>)` beside each column, and NaN or ±infinity fail."""
    if not float_columns:
        return suite
    short = suite.table.split(".", 1)[1]
    added = ", ".join(f'isfinite(q."{c}") as "{c}{FINITE_SUFFIX}"' for c in float_columns)
    expectations = [
        expectation(
            "expect_column_values_to_be_in_set",
            f"{short}.finite.{c}",
            {"column": f"{c}{FINITE_SUFFIX}", "value_set": [True]},
            f"{c} is a finite number or empty: not-a-number and ±infinity fail",
        )
        for c in float_columns
    ]
    for exp in expectations:
        exp["meta"]["show"] = [exp["kwargs"]["column"].removesuffix(FINITE_SUFFIX)]
    _set_severity(expectations, rules)
    return replace(
        suite,
        query=f"select q.*, {added} from ({suite.query}) q",
        expectations=[*suite.expectations, *expectations],
    )


def with_derived_columns(suite: Suite) -> Suite:
    """The frame of a suite whose expectations name a derived column (`meta.derive`: an SQL
    expression over a row of the frame) gets that column beside the others. A derived column
    is named `<column>__<what>` (as `<column>__finite`), which no real column is."""
    derived = {
        exp["kwargs"]["column"]: exp["meta"]["derive"]
        for exp in suite.expectations
        if exp["meta"].get("derive")
    }
    if not derived:
        return suite
    unnamed = [c for c in derived if "__" not in c.strip("_")]
    if unnamed:
        raise ValueError(
            f"suite {suite.name}: derived column(s) {unnamed} must be named <column>__<what>"
        )
    added = ", ".join(f'{sql} as "{column}"' for column, sql in derived.items())
    return replace(suite, query=f"select q.*, {added} from ({suite.query}) q")


def derived(exp: dict[str, Any], sql: str, show: list[str]) -> dict[str, Any]:
    """`exp` on a derived column: `sql` (over a row of the frame) gives the column it checks,
    and a failing row shows the real columns `show` beside it."""
    exp["meta"]["derive"] = sql
    exp["meta"]["show"] = show
    return exp


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def grain_expectation(table: str, grain: list[str]) -> dict[str, Any]:
    """One row per `grain`: the mart's declared grain as compound-column uniqueness."""
    short = table.split(".", 1)[1]
    if len(grain) == 1:
        kind, kwargs = "expect_column_values_to_be_unique", {"column": grain[0]}
    else:
        kind, kwargs = "expect_compound_columns_to_be_unique", {"column_list": list(grain)}
    return expectation(
        kind, f"{short}.grain", kwargs, f"one row per {' x '.join(grain)} (the grain)"
    )


def unique_columns(expectations: list[dict[str, Any]], columns: list[str]) -> str | None:
    """The name of the uniqueness expectation over exactly `columns` among `expectations`."""
    for exp in expectations:
        kwargs = exp["kwargs"]
        if exp["type"] == "expect_column_values_to_be_unique" and [kwargs["column"]] == columns:
            return exp["meta"]["name"]
        if exp["type"] == "expect_compound_columns_to_be_unique" and sorted(
            kwargs["column_list"]
        ) == sorted(columns):
            return exp["meta"]["name"]
    return None


def _set_severity(expectations: list[dict[str, Any]], rules: dict[str, Any]) -> None:
    for exp in expectations:
        exp["severity"] = (
            "critical" if severity_of(exp["meta"]["name"], rules) == "error" else "warning"
        )


def severity_of(name: str, rules: dict[str, Any]) -> str:
    """`error` or `warn` for an expectation name; the most specific matching pattern wins."""
    matches = [
        (p, s) for p, s in (rules.get("overrides") or {}).items() if fnmatch.fnmatch(name, p)
    ]
    if matches:
        return max(matches, key=lambda m: len(m[0].replace("*", "")))[1]
    return rules.get("default", "error")


def load_severity(folder: Path | None = None) -> dict[str, Any]:
    path = (folder or EXPECTATIONS_DIR) / "severity.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there
    rules = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    for pattern, level in (rules.get("overrides") or {}).items():
        if level not in ("error", "warn"):
            raise ValueError(
                f"{path}: severity of {pattern!r} must be error or warn, not {level!r}"
            )
    return rules


def _files(folder: Path | None) -> list[dict[str, Any]]:
    folder = folder or EXPECTATIONS_DIR / "suites"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def build_suites(
    reg: Registry, stage: str, profiles: dict[str, dict], folder: Path | None = None
) -> list[Suite]:
    """Suites of one stage ("raw" or "models"); `profiles` describe each dataset's previous
    vintage (rows, years) for the raw suites."""
    rules = load_severity()
    suites: list[Suite] = []
    for doc in _files(folder):
        meta = doc["meta"]
        in_stage = (
            meta["stage"] == "raw" if stage == "raw" else meta["stage"] in ("staging", "marts")
        )
        if not in_stage:
            continue
        if meta.get("per_dataset") == "observations":  # every dataset of an API source
            for code, dataset in reg.datasets.items():
                if dataset["source"] in observation_sources():
                    suites.append(_raw_suite(doc, reg, code, profiles.get(code, {})))
        elif meta.get("per_delivery"):
            from pipelines.gate.delivery_suites import delivery_suite

            suites += [delivery_suite(doc, d) for d in reg.deliveries.values()]
        else:
            extra = registry_expectations(reg).get(doc["name"], [])
            grain = (
                [grain_expectation(meta["table"], meta["grain"])]
                if meta.get("grain") and not unique_columns(doc["expectations"], meta["grain"])
                else []
            )
            suites.append(
                Suite(
                    name=doc["name"],
                    stage=meta["stage"],
                    query=_frame_query(meta),
                    asset=meta["asset"],
                    key=meta.get("key", []),
                    expectations=[*grain, *doc["expectations"], *extra],
                    description=meta.get("description", ""),
                    table=meta.get("table") if meta["stage"] == "marts" else None,
                    grain=meta.get("grain"),
                )
            )
    for suite in suites:
        _set_severity(suite.expectations, rules)
        for exp in suite.expectations:
            _vocabulary_value_set(exp, reg, suite.name)
    return [with_derived_columns(s) for s in suites]


def _vocabulary_value_set(exp: dict[str, Any], reg: Registry, suite: str) -> None:
    """`"value_set": {"vocabulary": <list>, "without": [codes]}` becomes the list's codes
    (registry/vocabulary.yaml), so a suite never holds a second copy of a closed list."""
    wanted = exp["kwargs"].get("value_set")
    if not isinstance(wanted, dict):
        return
    name = wanted.get("vocabulary")
    if name not in reg.vocabulary:
        raise ValueError(
            f"suite {suite}, {exp['meta']['name']}: value_set names vocabulary list {name!r}, "
            "which registry/vocabulary.yaml does not have"
        )
    codes = list(reg.vocabulary[name])
    unknown = set(wanted.get("without", [])) - set(codes)
    if unknown:
        raise ValueError(
            f"suite {suite}, {exp['meta']['name']}: 'without' names {sorted(unknown)}, "
            f"not codes of the vocabulary list {name!r}"
        )
    exp["kwargs"]["value_set"] = [c for c in codes if c not in wanted.get("without", [])]


def observation_sources() -> set[str]:
    """The sources of observations from an API (pipelines/sources/observations.py): each of
    their datasets gets the raw suite of `"per_dataset": "observations"`."""
    from pipelines.sources.kinds import source_kinds
    from pipelines.sources.observations import ObservationSource

    return {n for n, kind in source_kinds().items() if isinstance(kind, ObservationSource)}


def _raw_suite(doc: dict[str, Any], reg: Registry, code: str, profile: dict[str, Any]) -> Suite:
    meta = doc["meta"]
    dims = [d for d in reg.datasets[code]["dimensions"] if d != "geo"]
    dim_columns = "".join(f", o.dims['{d}'] as \"{d}\"" for d in dims)
    source = reg.datasets[code]["source"]
    query = meta["query"].format(
        table=f'raw."{source}__{code}"',
        vintages=f'raw."{source}__{code}__vintages"',
        dim_columns=dim_columns,
    )
    expectations = [json.loads(json.dumps(e)) for e in doc["expectations"]]
    expectations += _raw_registry_expectations(reg, code, dims, profile)
    return Suite(
        name=f"{doc['name'].format(source=source)}.{code}",
        stage="raw",
        query=query,
        asset=[a.format(source=source, dataset=code) for a in meta["asset"]],
        key=[*dims, *meta.get("key", [])],
        expectations=expectations,
        description=f"{meta.get('description', '')} ({code})",
    )


def _raw_registry_expectations(
    reg: Registry, code: str, dims: list[str], profile: dict
) -> list[dict]:
    out: list[dict[str, Any]] = []
    for dim in dims:
        out.append(
            expectation(
                "expect_column_values_to_not_be_null",
                f"raw.dimension_present.{dim}",
                {"column": dim},
                f"every observation has a {dim} code",
            )
        )
        codelist = reg.codelists.get(dim)
        if codelist and codelist["complete"]:
            out.append(
                expectation(
                    "expect_column_values_to_be_in_set",
                    f"raw.known_codes.{dim}",
                    {"column": dim, "value_set": sorted(codelist["codes"])},
                    f"{dim} codes are in Eurostat's code list (as the registry lists them)",
                )
            )
    needed: dict[str, set[str]] = {}
    for ind in reg.indicators.values():
        if ind.get("source", {}).get("dataset") == code:
            for series in reg.series(ind):
                for dim, value in series["filters"].items():
                    needed.setdefault(dim, set()).add(value)
    for dim, codes in sorted(needed.items()):
        out.append(
            expectation(
                "expect_column_distinct_values_to_contain_set",
                f"raw.required_codes.{dim}",
                {"column": dim, "value_set": sorted(codes)},
                f"the {dim} codes the registry selects are in the file",
            )
        )
    geos = reg.dataset_geos(code)
    if FLANDERS in geos:
        out.append(
            expectation(
                "expect_column_distinct_values_to_contain_set",
                "raw.required_geographies.flanders",
                {"column": "geo", "value_set": [FLANDERS]},
                "Flanders (BE2) is in the file",
            )
        )
    comparators = [g for g in geos if g != FLANDERS]
    if comparators:
        # a column of its own (geo, empty on Flanders' rows) keeps GX from merging this with
        # the Flanders expectation, as a pandas row_condition did at three times the cost
        out.append(
            derived(
                expectation(
                    "expect_column_distinct_values_to_contain_set",
                    "raw.required_geographies.comparators",
                    {"column": "geo__comparators", "value_set": comparators},
                    "every comparison geography the registry uses (Belgium, EU, member states, neighbours) is in the file",
                ),
                f"case when geo <> {_sql_text(FLANDERS)} then geo end",
                show=["geo"],
            )
        )
    keys = [*dims, "geo", "period"]
    out.append(
        expectation(
            "expect_compound_columns_to_be_unique",
            "raw.unique_observations",
            {"column_list": keys},
            "one observation per series, geography and period",
        )
    )
    gate = config().get("gate", {})
    if profile.get("rows"):
        minimum = math.ceil(profile["rows"] * gate.get("min_row_ratio", 0.75))
        out.append(
            expectation(
                "expect_table_row_count_to_be_between",
                "raw.not_shrinking",
                {"min_value": minimum},
                f"at least {minimum} rows: the previous vintage had {profile['rows']}",
            )
        )
    if profile.get("years"):
        out.append(
            expectation(
                "expect_column_distinct_values_to_contain_set",
                "raw.years_present",
                {"column": "period_year", "value_set": profile["years"]},
                "every year of the previous vintage is still present",
            )
        )
    if profile.get("geos"):
        out.append(
            derived(
                expectation(
                    "expect_column_distinct_values_to_contain_set",
                    "raw.geographies_kept",
                    {"column": "geo__with_value", "value_set": profile["geos"]},
                    "every geography with values in the previous vintage still has values",
                ),
                # a value: neither NULL nor NaN (what pandas' `value==value` kept before)
                "case when value is not null and not isnan(value) then geo end",
                show=["geo", "value"],
            )
        )
    max_missing = gate.get("max_missing_share", 0.5)
    out.append(
        expectation(
            "expect_column_values_to_not_be_null",
            "raw.values_present",
            {"column": "value", "mostly": 1 - max_missing},
            f"at most {max_missing:.0%} of the values are missing",
        )
    )
    return out


def registry_expectations(reg: Registry) -> dict[str, list[dict[str, Any]]]:
    """Expectations that follow from the registry, by suite name."""
    gate = config().get("gate", {})
    jump = gate.get("jump_error_factor", 3)
    jump_geos = gate.get("jump_error_geos", ["BE", "BE2"])
    fct = [
        expectation(
            "expect_column_distinct_values_to_contain_set",
            "fct.all_indicators_present",
            {"column": "indicator_id", "value_set": sorted(reg.indicators)},
            "every registry indicator is published",
        )
    ]
    for ind in reg.indicators.values():
        lo, hi = ind["plausible_range"]
        # the headline values of one indicator as a column of their own (empty on every other
        # row, and GX skips empty cells), not a pandas `row_condition` on `value`: GX applies
        # such a condition with DataFrame.query once per metric, ~30 ms per indicator
        fct.append(
            derived(
                expectation(
                    "expect_column_values_to_be_between",
                    f"fct.plausible_range.{ind['id']}",
                    {"column": f"{ind['id']}{HEADLINE_SUFFIX}", "min_value": lo, "max_value": hi},
                    f"{ind['id']} (headline) within its plausible range {lo}-{hi}",
                ),
                f"case when indicator_id = {_sql_text(ind['id'])} and breakdown = 'total' "
                "then value end",
                show=["value"],
            )
        )
    targets = sorted(reg.targets)
    target_geos = sorted(
        f"{t['id']}@{geo or '-'}"
        for t in reg.targets.values()
        for geo in t["assessed_for"] or [None]
    )
    return {
        "marts.fct_indicator_values": fct,
        "marts.dim_indicator": [
            expectation(
                "expect_column_distinct_values_to_contain_set",
                "dim_indicator.all_present",
                {"column": "indicator_id", "value_set": sorted(reg.indicators)},
                "every registry indicator has its metadata",
            )
        ],
        **dimension_expectations(reg),
        "marts.mart_target_progress": [
            expectation(
                "expect_column_distinct_values_to_contain_set",
                "progress.all_targets_present",
                {"column": "target_id", "value_set": targets},
                "every registry target has a progress row",
            ),
            expectation(
                "expect_column_distinct_values_to_contain_set",
                "progress.every_target_geography",
                {"column": "target_geo", "value_set": target_geos},
                "every registry target has a progress row for each geography it is assessed for",
            ),
        ],
        "marts.yearly_changes": [
            # GX keeps one expectation per type and column: the review bound is a column pair.
            expectation(
                "expect_column_pair_values_a_to_be_greater_than_b",
                "marts.yoy_jump_review",
                {"column_A": "max_yearly_change", "column_B": "jump", "or_equal": True},
                "year-on-year change within the indicator's max_yearly_change (else: review)",
            ),
            # blocking only for our own geographies: a real jump in another member state's
            # series is the producer's figure, flagged for review above, not a broken file
            derived(
                expectation(
                    "expect_column_values_to_be_between",
                    "marts.yoy_jump_implausible",
                    {"column": "jump_ratio__own_geos", "max_value": float(jump)},
                    f"year-on-year change in {', '.join(jump_geos)} under {jump} x the indicator's max_yearly_change",
                ),
                f"case when geo in ({', '.join(_sql_text(g) for g in jump_geos)}) "
                "then jump_ratio end",
                show=["geo", "jump_ratio"],
            ),
        ],
    }


def dimension_expectations(reg: Registry) -> dict[str, list[dict[str, Any]]]:
    """Each dimension holds every row the registry and settings give it: a geography, a
    target, a vocabulary list or a published threshold lost in the build fails, though each
    remaining row is valid (the report would look such rows up and find nothing)."""
    from pipelines.registry.model import setting_rows

    wanted = {
        "marts.dim_geo": ("geo", sorted(reg.geographies), "geography of the registry"),
        "marts.dim_target": ("target_id", sorted(reg.targets), "target of the registry"),
        "marts.dim_vocabulary": ("list_name", sorted(reg.vocabulary), "vocabulary list"),
        "marts.dim_setting": (
            "key",
            sorted(row["key"] for row in setting_rows(config())),
            "numeric setting the marts use",
        ),
    }
    return {
        suite: [
            expectation(
                "expect_column_distinct_values_to_contain_set",
                f"{suite.split('.', 1)[1]}.all_present",
                {"column": column, "value_set": codes},
                f"every {what} is published",
            )
        ]
        for suite, (column, codes, what) in wanted.items()
    }
