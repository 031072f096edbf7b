"""Validate a delivery's cells against its template: header, types, codes, ranges, required
cells, rules between columns, duplicate keys and sample labels. Every problem is collected
(file, sheet, row, column), not only the first."""

from __future__ import annotations

import math
import re
from typing import Any

from pipelines.registry.deliveries import SAMPLE_LABELS, Delivery
from pipelines.sources.intake.problems import Problem
from pipelines.sources.intake.read import Table

INTEGER = re.compile(r"^[+-]?\d+$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
TRUE = {"true", "yes", "ja", "waar", "1", "x"}
FALSE = {"false", "no", "nee", "onwaar", "0"}
MAX_PROBLEMS = 500


class _Bad(ValueError):
    pass


def validate(
    delivery: Delivery, file: str, table: Table, is_sample_file: bool
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Typed rows (with `row_number`) and the problems found; rows are usable only when
    there are no problems."""
    problems: list[Problem] = []

    def report(message: str, row: int | None = None, column: str | None = None) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(file, message, table.sheet, row, column))

    positions = _header(delivery, table, report)  # problems reported; present columns checked
    label = {i: table.letters[p] for i, p in positions.items()}
    typed_rows: list[dict[str, Any]] = []
    for number, cells in table.rows:
        typed: dict[str, Any] = {"row_number": number}
        for col in delivery.columns:
            if col["name"] not in positions:
                typed[col["name"]] = None
                typed.setdefault("_bad", set()).add(col["name"])
                continue
            where = f"{col['name']} ({label[col['name']]})"
            raw = cells[positions[col["name"]]]
            try:
                typed[col["name"]] = _convert(col, raw)
            except _Bad as exc:
                report(str(exc), number, where)
                typed[col["name"]] = None
                typed.setdefault("_bad", set()).add(col["name"])
        _row_rules(delivery, typed, number, label, report, is_sample_file)
        typed.pop("_bad", None)
        typed_rows.append(typed)
    _duplicates(delivery, typed_rows, report)
    return typed_rows, problems


def _header(delivery: Delivery, table: Table, report) -> dict[str, int]:
    expected = [c["name"] for c in delivery.columns]
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if not name:
            if any(cells[index] is not None for _, cells in table.rows):
                report("a column without a header holds values", 1, table.letters[index])
            continue
        if name in positions:
            report(f"column {name!r} appears twice in the header", 1, table.letters[index])
        elif name not in expected:
            report(
                f"unknown column {name!r}; the template has: {', '.join(expected)}",
                1,
                f"{name} ({table.letters[index]})",
            )
            continue
        positions.setdefault(name, index)
    for name in expected:
        if name not in positions:
            report(f"column {name!r} is missing from the header", 1, name)
    return positions


def _convert(col: dict[str, Any], raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if col.get("required", True) and "required_if" not in col:
            raise _Bad("empty cell; a value is required")
        return None
    kind = col["type"]
    if kind == "string":
        return _text(raw)
    if kind == "code":
        text = _text(raw)
        if text not in col["codes"]:
            near = [c for c in col["codes"] if c.lower() == text.lower()]
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise _Bad(f"unknown code {text!r}{hint}; allowed: {', '.join(col['codes'])}")
        return text
    if kind == "boolean":
        return _boolean(raw)
    value = _integer(raw) if kind == "integer" else _number(raw)
    if "min" in col and value < col["min"]:
        raise _Bad(f"{_show(value)} is below the minimum {_show(col['min'])}")
    if "max" in col and value > col["max"]:
        raise _Bad(f"{_show(value)} is above the maximum {_show(col['max'])}")
    return value


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise _Bad(f"{raw!r} is not a yes/no value (use true or false)")


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise _Bad(f"{raw!r} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if INTEGER.match(text):
        return int(text)
    raise _Bad(f"{raw!r} is not a whole number{_number_hint(text)}")


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise _Bad(f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise _Bad(f"{raw!r} is not a finite number")
        return float(raw)
    text = str(raw).strip()
    if NUMBER.match(text):
        return float(text)
    raise _Bad(f"{raw!r} is not a number{_number_hint(text)}")


def _number_hint(text: str) -> str:
    if re.match(r"^[\d.,\s]+$", text):
        return " (write digits only, with a point as decimal separator and no thousands separators)"
    return ""


def _row_rules(delivery, typed, number, label, report, is_sample_file: bool) -> None:
    bad = typed.get("_bad", set())
    for col in delivery.columns:
        name = col["name"]
        if name in bad:
            continue
        where = f"{name} ({label[name]})"
        rule = col.get("required_if")
        if rule and typed.get(name) is None and rule["column"] not in bad:
            other = typed.get(rule["column"])
            values = rule.get("values")
            if (other is not None and values is None) or (values and other in values):
                shown = (
                    "filled"
                    if values is None
                    else str(other).lower()
                    if isinstance(other, bool)
                    else repr(other)
                )
                report(f"required because {rule['column']} is {shown}", number, where)
        rule = col.get("equals")
        if rule and typed.get(name) is not None and typed.get(rule["column"]) is not None:
            expected = typed[rule["column"]] + rule["offset"]
            if typed[name] != expected:
                report(
                    f"{typed[name]} must equal {rule['column']} {rule['offset']:+d} = {expected}",
                    number,
                    where,
                )
    label_value = typed.get("data_label")
    if label_value is not None and "data_label" not in bad and "data_label" in label:
        where = f"data_label ({label['data_label']})"
        if is_sample_file and label_value not in SAMPLE_LABELS:
            report(
                f"a SAMPLE_ file may hold only rows labelled {' or '.join(SAMPLE_LABELS)}",
                number,
                where,
            )
        if not is_sample_file and label_value in SAMPLE_LABELS:
            report(
                f"a row labelled {label_value!r} in a file not named SAMPLE_...; sample figures "
                "must not be published as producer figures",
                number,
                where,
            )


def _duplicates(delivery: Delivery, rows: list[dict[str, Any]], report) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row.get(k) for k in delivery.key)
        if any(v is None for v in key):
            continue
        if key in seen:
            shown = ", ".join(f"{k}={v}" for k, v in zip(delivery.key, key, strict=True))
            report(
                f"duplicate row: {shown} is already in row {seen[key]}",
                row["row_number"],
                ",".join(delivery.key),
            )
        else:
            seen[key] = row["row_number"]
