"""Read a delivery's cells: one sheet of an XLSX workbook (formulas as their stored values,
nothing evaluated or executed) or a CSV file (comma or semicolon separated, UTF-8)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from pipelines.sources.intake.problems import Problem


@dataclass
class Table:
    sheet: str | None  # None for a CSV file
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cell values)
    letters: list[str]  # column letters (A, B, ...) or positions for CSV


def column_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def read_table(name: str, data: bytes, sheet: str) -> tuple[Table | None, list[Problem]]:
    if name.lower().endswith(".csv"):
        return _read_csv(name, data)
    return _read_xlsx(name, data, sheet)


def _read_xlsx(name: str, data: bytes, sheet: str) -> tuple[Table | None, list[Problem]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        return None, [Problem(name, f"cannot read the workbook: {type(exc).__name__}: {exc}")]
    try:
        if sheet not in book.sheetnames:
            return None, [
                Problem(
                    name,
                    f"sheet '{sheet}' not found (the workbook has: {', '.join(book.sheetnames)})",
                    sheet=sheet,
                )
            ]
        cells = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(name, sheet, cells, [column_letter(i) for i in range(_width(cells))])


def _read_csv(name: str, data: bytes) -> tuple[Table | None, list[Problem]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells: list[list[Any]] = []
    try:
        for row in reader:
            while len(cells) < reader.line_num - 1:
                cells.append([])  # a quoted cell spanning lines keeps row numbers honest
            cells.append([c if c.strip() != "" else None for c in row])
    except csv.Error as exc:
        return None, [Problem(name, f"malformed CSV: {exc}", row=reader.line_num)]
    return _table(name, None, cells, [str(i + 1) for i in range(_width(cells))])


def _width(cells: list[list[Any]]) -> int:
    return max((len(r) for r in cells), default=0)


def _table(
    name: str, sheet: str | None, cells: list[list[Any]], letters: list[str]
) -> tuple[Table | None, list[Problem]]:
    if not cells or all(v is None for v in cells[0]):
        where = f"sheet '{sheet}'" if sheet else "the file"
        return None, [Problem(name, f"{where} is empty: no header row", sheet=sheet, row=1)]
    header = [str(v).strip().lower() if v is not None else "" for v in cells[0]]
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank rows (Excel keeps formatted empty rows) are not data
        rows.append((number, values + [None] * (len(header) - len(values))))
    if not rows:
        return None, [Problem(name, "no data rows under the header", sheet=sheet, row=2)]
    return Table(sheet, header, rows, letters), []
