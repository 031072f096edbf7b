"""The gate's suites: JSON files in `expectations/suites/` (GX's suite format plus a `meta`
block naming the stage, the frame to validate and the Dagster asset the result belongs to),
per-dataset raw suites expanded from a template, and expectations derived from the registry.
Severity (error blocks, warn publishes) comes from `expectations/severity.yaml`."""

from __future__ import annotations

import fnmatch
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.registry import Registry
from pipelines.settings import EXPECTATIONS_DIR, config

FLANDERS = "BE2"


@dataclass
class Suite:
    name: str
    stage: str  # raw | staging | marts  (raw runs before dbt, the others after)
    query: str
    asset: list[str]
    key: list[str]
    expectations: list[dict[str, Any]]
    description: str


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
    rules = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
        if meta.get("per_dataset"):
            for code, dataset in reg.datasets.items():
                if dataset["source"] == meta["per_dataset"]:
                    suites.append(_raw_suite(doc, reg, code, profiles.get(code, {})))
        elif meta.get("per_delivery"):
            from pipelines.lib.gate.delivery_suites import delivery_suite

            suites += [delivery_suite(doc, d) for d in reg.deliveries.values()]
        else:
            extra = registry_expectations(reg).get(doc["name"], [])
            suites.append(
                Suite(
                    name=doc["name"],
                    stage=meta["stage"],
                    query=meta.get("query") or f"select * from {meta['table']}",
                    asset=meta["asset"],
                    key=meta.get("key", []),
                    expectations=[*doc["expectations"], *extra],
                    description=meta.get("description", ""),
                )
            )
    for suite in suites:
        for exp in suite.expectations:
            exp["severity"] = (
                "critical" if severity_of(exp["meta"]["name"], rules) == "error" else "warning"
            )
    return suites


def _raw_suite(doc: dict[str, Any], reg: Registry, code: str, profile: dict[str, Any]) -> Suite:
    meta = doc["meta"]
    dims = [d for d in reg.datasets[code]["dimensions"] if d != "geo"]
    dim_columns = "".join(f", o.dims['{d}'] as \"{d}\"" for d in dims)
    query = meta["query"].format(
        table=f'raw."{meta["per_dataset"]}__{code}"',
        vintages=f'raw."{meta["per_dataset"]}__{code}__vintages"',
        dim_columns=dim_columns,
    )
    expectations = [json.loads(json.dumps(e)) for e in doc["expectations"]]
    expectations += _raw_registry_expectations(reg, code, dims, profile)
    return Suite(
        name=f"{doc['name']}.{code}",
        stage="raw",
        query=query,
        asset=[a.format(dataset=code) for a in meta["asset"]],
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
            _exp(
                "expect_column_values_to_not_be_null",
                f"raw.dimension_present.{dim}",
                {"column": dim},
                f"every observation has a {dim} code",
            )
        )
        codelist = reg.codelists.get(dim)
        if codelist and codelist["complete"]:
            out.append(
                _exp(
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
            _exp(
                "expect_column_distinct_values_to_contain_set",
                f"raw.required_codes.{dim}",
                {"column": dim, "value_set": sorted(codes)},
                f"the {dim} codes the registry selects are in the file",
            )
        )
    geos = reg.dataset_geos(code)
    if FLANDERS in geos:
        out.append(
            _exp(
                "expect_column_distinct_values_to_contain_set",
                "raw.required_geographies.flanders",
                {"column": "geo", "value_set": [FLANDERS]},
                "Flanders (BE2) is in the file",
            )
        )
    comparators = [g for g in geos if g != FLANDERS]
    if comparators:
        # a distinct row condition keeps GX from merging this with the Flanders expectation
        out.append(
            _exp(
                "expect_column_distinct_values_to_contain_set",
                "raw.required_geographies.comparators",
                {
                    "column": "geo",
                    "value_set": comparators,
                    "row_condition": f'geo!="{FLANDERS}"',
                    "condition_parser": "pandas",
                },
                "every comparison geography the registry uses (Belgium, EU, member states, neighbours) is in the file",
            )
        )
    keys = [*dims, "geo", "period"]
    out.append(
        _exp(
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
            _exp(
                "expect_table_row_count_to_be_between",
                "raw.not_shrinking",
                {"min_value": minimum},
                f"at least {minimum} rows: the previous vintage had {profile['rows']}",
            )
        )
    if profile.get("years"):
        out.append(
            _exp(
                "expect_column_distinct_values_to_contain_set",
                "raw.years_present",
                {"column": "period_year", "value_set": profile["years"]},
                "every year of the previous vintage is still present",
            )
        )
    if profile.get("geos"):
        out.append(
            _exp(
                "expect_column_distinct_values_to_contain_set",
                "raw.geographies_kept",
                {
                    "column": "geo",
                    "value_set": profile["geos"],
                    "row_condition": "value==value",
                    "condition_parser": "pandas",
                },
                "every geography with values in the previous vintage still has values",
            )
        )
    max_missing = gate.get("max_missing_share", 0.5)
    out.append(
        _exp(
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
        _exp(
            "expect_column_distinct_values_to_contain_set",
            "fct.all_indicators_present",
            {"column": "indicator_id", "value_set": sorted(reg.indicators)},
            "every registry indicator is published",
        )
    ]
    for ind in reg.indicators.values():
        lo, hi = ind["plausible_range"]
        fct.append(
            _exp(
                "expect_column_values_to_be_between",
                f"fct.plausible_range.{ind['id']}",
                {
                    "column": "value",
                    "min_value": lo,
                    "max_value": hi,
                    "row_condition": f'indicator_id=="{ind["id"]}" and breakdown=="total"',
                    "condition_parser": "pandas",
                },
                f"{ind['id']} (headline) within its plausible range {lo}-{hi}",
            )
        )
    targets = sorted(reg.targets)
    return {
        "marts.fct_indicator_values": fct,
        "marts.dim_indicator": [
            _exp(
                "expect_column_distinct_values_to_contain_set",
                "dim_indicator.all_present",
                {"column": "indicator_id", "value_set": sorted(reg.indicators)},
                "every registry indicator has its metadata",
            )
        ],
        "marts.mart_target_progress": [
            _exp(
                "expect_column_distinct_values_to_contain_set",
                "progress.all_targets_present",
                {"column": "target_id", "value_set": targets},
                "every registry target has a progress row",
            )
        ],
        "marts.yearly_changes": [
            # GX keeps one expectation per type and column: the review bound is a column pair.
            _exp(
                "expect_column_pair_values_a_to_be_greater_than_b",
                "marts.yoy_jump_review",
                {"column_A": "max_yearly_change", "column_B": "jump", "or_equal": True},
                "year-on-year change within the indicator's max_yearly_change (else: review)",
            ),
            # blocking only for our own geographies: a real jump in another member state's
            # series is the producer's figure, flagged for review above, not a broken file
            _exp(
                "expect_column_values_to_be_between",
                "marts.yoy_jump_implausible",
                {
                    "column": "jump_ratio",
                    "max_value": float(jump),
                    "row_condition": f"geo in {json.dumps(jump_geos)}",
                    "condition_parser": "pandas",
                },
                f"year-on-year change in {', '.join(jump_geos)} under {jump} x the indicator's max_yearly_change",
            ),
        ],
    }


def _exp(kind: str, name: str, kwargs: dict[str, Any], why: str) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "meta": {"name": name, "why": why}}
