"""Templates for departments, written from the delivery YAML: an XLSX workbook (sheet with
the header, sheet `toelichting` describing every column) and a CSV header; and
docs/deliveries.md. `monitor registry docs` regenerates them."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.registry.deliveries import Delivery

FIXED_TIME = datetime(2024, 1, 1)  # workbook properties stay the same between runs
GUIDE_HEADER = ["column", "type", "required", "unit", "allowed values / range", "description"]


def _rule(col: dict[str, Any]) -> str:
    if col["type"] == "code":
        return "; ".join(f"{k} = {v}" for k, v in col["codes"].items())
    parts = []
    if "min" in col:
        parts.append(f">= {col['min']}")
    if "max" in col:
        parts.append(f"<= {col['max']}")
    if col["type"] == "boolean":
        parts.append("true / false")
    if "equals" in col:
        parts.append(f"= {col['equals']['column']} {col['equals']['offset']:+d}")
    return ", ".join(parts)


def _required(col: dict[str, Any]) -> str:
    if "required_if" in col:
        rule = col["required_if"]
        values = rule.get("values")
        return f"when {rule['column']} is " + (
            "filled" if values is None else "/".join(map(str, values))
        )
    return "yes" if col.get("required", True) else "no"


def guide_rows(delivery: Delivery) -> list[list[str]]:
    return [
        [c["name"], c["type"], _required(c), c.get("unit", ""), _rule(c), c["description"]]
        for c in delivery.columns
    ]


def workbook_bytes(delivery: Delivery, rows: list[dict[str, Any]] | None = None) -> bytes:
    """An XLSX with the data sheet (header + rows) and the column guide."""
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = FIXED_TIME
    sheet = book.active
    sheet.title = delivery.sheet
    names = [c["name"] for c in delivery.columns]
    sheet.append(names)
    for row in rows or []:
        sheet.append([row.get(n) for n in names])
    guide = book.create_sheet("toelichting")
    guide.append([f"{delivery.doc['title']} — template {delivery.code}"])
    guide.append([" ".join(delivery.doc["description"].split())])
    guide.append([f"Fill in sheet '{delivery.sheet}'; one row per {', '.join(delivery.key)}."])
    guide.append([])
    guide.append(GUIDE_HEADER)
    for row in guide_rows(delivery):
        guide.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(delivery: Delivery, rows: list[dict[str, Any]] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [c["name"] for c in delivery.columns]
    writer.writerow(names)
    for row in rows or []:
        writer.writerow(["" if row.get(n) is None else _csv_value(row.get(n)) for n in names])
    return out.getvalue()


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_cells(data: bytes) -> dict[str, list[tuple]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def write_templates(deliveries: dict[str, Delivery], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for d in deliveries.values():
        xlsx, csv_path = folder / f"{d.code}.xlsx", folder / f"{d.code}.csv"
        data = workbook_bytes(d)
        if not xlsx.exists() or workbook_cells(xlsx.read_bytes()) != workbook_cells(data):
            xlsx.write_bytes(data)  # rewritten only when a cell changed (zip stamps differ)
        csv_path.write_text(csv_text(d), encoding="utf-8")
        written += [xlsx, csv_path]
    return written


def render_docs(deliveries: dict[str, Delivery]) -> str:
    lines = [
        "# Spreadsheet deliveries",
        "",
        "Generated from `registry/deliveries/*.yaml` by `monitor registry docs`; do not edit by hand.",
        "Templates: `docs/templates/<code>.xlsx` and `.csv`. Drop a filled file named `<code>.xlsx` or",
        "`<code>.csv` in the intake folder (`$MONITOR_HOME/intake/`) or pass `--source dir:PATH`.",
        "Check it first with `monitor intake check FILE`.",
    ]
    for d in deliveries.values():
        doc = d.doc
        lines += [
            "",
            f"## `{d.code}` — {doc['title']}",
            "",
            " ".join(doc["description"].split()),
            "",
            f"- source `{d.source}`, producer: {_english(doc['producer'])}; licence: {_english(doc['licence'])}",
            f"- sheet `{d.sheet}` (XLSX) or the whole file (CSV, comma or semicolon, UTF-8); one row per {', '.join(d.key)}",
            f"- observations: measures {', '.join(f'`{m}` = {c}' for m, c in d.observations['measures'].items())}; "
            f"period = {d.observations['period']}; dimensions {', '.join(d.dimensions())}",
        ]
        if "converter" in doc:
            lines.append(f"- converter: {' '.join(doc['converter'].split())}")
        lines += ["", "| " + " | ".join(GUIDE_HEADER) + " |", "|" + "---|" * len(GUIDE_HEADER)]
        for row in guide_rows(d):
            lines.append("| " + " | ".join(str(v).replace("|", "/") for v in row) + " |")
    return "\n".join(lines) + "\n"


def _english(text: str | dict[str, str]) -> str:
    """A registry text ({nl, en} or a plain string) as the English documentation shows it."""
    return text["en"] if isinstance(text, dict) else text
