"""Raw-stage suites for spreadsheet deliveries, derived from their templates: the intake
refuses a bad file before it is loaded; this re-checks the loaded vintage in the gate
(required cells, codes, ranges, unique keys), so a changed template or a hand-edited
warehouse cannot slip through."""

from __future__ import annotations

import json
from typing import Any

from pipelines.gate.suite import Suite, expectation


def delivery_suite(doc: dict[str, Any], delivery) -> Suite:
    meta = doc["meta"]
    table = f'raw."{delivery.source}__{delivery.code}"'
    query = meta["query"].format(
        table=table, vintages=f'raw."{delivery.source}__{delivery.code}__vintages"'
    )
    expectations = [json.loads(json.dumps(e)) for e in doc["expectations"]]
    expectations += template_expectations(delivery)
    return Suite(
        name=f"{doc['name']}.{delivery.code}",
        stage="raw",
        query=query,
        asset=[a.format(source=delivery.source, delivery=delivery.code) for a in meta["asset"]],
        key=[*meta.get("key", []), *delivery.key],
        expectations=expectations,
        description=f"{meta.get('description', '')} ({delivery.code})",
    )


def template_expectations(delivery) -> list[dict[str, Any]]:
    out = []
    for col in delivery.columns:
        name = col["name"]
        if col.get("required", True) and "required_if" not in col:
            out.append(
                expectation(
                    "expect_column_values_to_not_be_null",
                    f"raw.delivery.required.{name}",
                    {"column": name},
                    f"{name} is filled in every row (template: required)",
                )
            )
        if col["type"] == "code":
            out.append(
                expectation(
                    "expect_column_values_to_be_in_set",
                    f"raw.delivery.codes.{name}",
                    {"column": name, "value_set": sorted(col["codes"])},
                    f"{name} holds only the template's codes",
                )
            )
        if "min" in col or "max" in col:
            bounds = {k: col[k] for k in ("min", "max") if k in col}
            out.append(
                expectation(
                    "expect_column_values_to_be_between",
                    f"raw.delivery.range.{name}",
                    {"column": name, **{f"{k}_value": v for k, v in bounds.items()}},
                    f"{name} within the template's range {bounds}",
                )
            )
    key = list(delivery.key)
    out.append(
        expectation(
            "expect_compound_columns_to_be_unique"
            if len(key) > 1
            else "expect_column_values_to_be_unique",
            "raw.delivery.unique_rows",
            {"column_list": key} if len(key) > 1 else {"column": key[0]},
            f"one row per {', '.join(key)}",
        )
    )
    return out
