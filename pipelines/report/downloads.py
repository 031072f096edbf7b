"""Downloads of exactly what an indicator page charts: CSV per chart and one XLSX workbook.

Columns are codes (language-neutral) with Dutch and English labels beside them, values
with a decimal point, flags as Eurostat publishes them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from pipelines.report import routes
from pipelines.report.data import ReportData, Row

SERIES_COLUMNS = [
    "indicator_id",
    "geo",
    "geo_name_nl",
    "geo_name_en",
    "period",
    "value",
    "unit",
    "flags",
    "is_series_break",
    "is_sample",
    "data_label",
]
GAPS_COLUMNS = [
    "indicator_id",
    "geo",
    "breakdown",
    "group_category",
    "group_label_nl",
    "group_label_en",
    "reference_category",
    "reference_label_nl",
    "reference_label_en",
    "year",
    "group_value",
    "reference_value",
    "gap_pp",
    "group_flags",
    "reference_flags",
    "reliability",
    "gap_base_year",
    "gap_size_change",
    "min_detectable_change_pp",
    "gap_trend",
    "is_series_break",
    "is_sample",
    "data_label",
]
TARGET_COLUMNS = ["target_id", "framework", "kind", "geo", "target_level", "target_year", "unit"]
REVISION_COLUMNS = [
    "dataset",
    "indicator_ids",
    "series_key",
    "geo",
    "period",
    "revision_kind",
    "previous_value",
    "current_value",
    "revision",
    "previous_flags",
    "current_flags",
    "previous_snapshot_id",
    "current_snapshot_id",
]


def category_label(
    data: ReportData, indicator_id: str, breakdown: str, code: str
) -> tuple[str, str]:
    """Dutch and English label of a breakdown category ('total' is the headline series)."""
    if code == "total":
        return ("hoofdindicator", "headline indicator")
    return data.categories.get((indicator_id, breakdown, code), (code, code))


def series_rows(rows: Sequence[Row]) -> list[tuple]:
    return [tuple(r[c] for c in SERIES_COLUMNS) for r in rows]


def gap_rows(data: ReportData, rows: Sequence[Row]) -> list[tuple]:
    out = []
    for r in rows:
        group = category_label(data, r["indicator_id"], r["breakdown"], r["group_category"])
        ref = category_label(data, r["indicator_id"], r["breakdown"], r["reference_category"])
        values = {
            **r,
            "group_label_nl": group[0],
            "group_label_en": group[1],
            "reference_label_nl": ref[0],
            "reference_label_en": ref[1],
        }
        out.append(tuple(values[c] for c in GAPS_COLUMNS))
    return out


def csv_bytes(columns: Sequence[str], rows: Sequence[tuple]) -> bytes:
    """UTF-8 with a byte-order mark so spreadsheet programs read accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Sequence[tuple]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def indicator_files(data: ReportData, indicator: Row) -> dict[str, bytes]:
    """`<id>-series.csv`, `<id>-gaps.csv` and `<id>.xlsx` (series, gaps, targets, about)."""
    ind = indicator["indicator_id"]
    series = series_rows(data.series.get(ind, []))
    gaps = gap_rows(data, data.gaps.get(ind, []))
    targets = [
        (
            t["target_id"],
            t["framework"],
            t["kind"],
            t["geo"],
            t["target_level"],
            t["target_year"],
            t["unit"],
        )
        for t in data.target_lines(ind)
    ]
    pub = data.publication
    about = [
        ("indicator_id", ind),
        ("name_nl", indicator["name_nl"]),
        ("name_en", indicator["name_en"]),
        ("definition_nl", indicator["definition_nl"]),
        ("definition_en", indicator["definition_en"]),
        ("unit", indicator["unit"]),
        ("source", f"{indicator['producer']}; dataset {indicator['dataset']}"),
        ("dataset_url", indicator["dataset_url"]),
        ("licence", indicator["licence"]),
        ("publication_id", pub["publication_id"]),
        ("published_at", pub["published_at"].isoformat()),
        ("is_sample", "SAMPLE DATA (synthetic)" if pub["is_sample"] else "no"),
    ]
    return {
        routes.download(f"{ind}-series.csv"): csv_bytes(SERIES_COLUMNS, series),
        routes.download(f"{ind}-gaps.csv"): csv_bytes(GAPS_COLUMNS, gaps),
        routes.download(f"{ind}.xlsx"): xlsx_bytes(
            {
                "series": (SERIES_COLUMNS, series),
                "gaps": (GAPS_COLUMNS, gaps),
                "targets": (TARGET_COLUMNS, targets),
                "about": (["field", "value"], about),
            }
        ),
    }


def revisions_file(rows: Sequence[Row]) -> dict[str, bytes]:
    return {
        routes.download("revisions.csv"): csv_bytes(
            REVISION_COLUMNS, [tuple(r[c] for c in REVISION_COLUMNS) for r in rows]
        )
    }
