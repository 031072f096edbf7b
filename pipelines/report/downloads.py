"""Downloads of exactly what the pages show: per indicator a CSV per chart and one XLSX
workbook, and the overview's table with its verdicts (`overview.csv`, `overview.xlsx`).

Columns are codes (language-neutral) with Dutch and English labels beside them, values
with a decimal point, flags and the confidentiality status (conf_status) as Eurostat
publishes them (a confidential cell: no value, its status; labels in the vocabulary list
confidentiality), what each figure is (data_label: delivered, quoted sample, synthetic);
every file credits the producers (dim_source) of its figures. Gaps from microdata
(`<id>-microdata-gaps.csv`, only when a microdata file was aggregated) carry their standard
error, 95% interval and significance as the indicator page shows them.
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
    "conf_status",
    "conf_status_nl",
    "conf_status_en",
    "is_series_break",
    "is_sample",
    "data_label",
    "data_label_nl",
    "data_label_en",
    "dataset",
    "producer_nl",
    "producer_en",
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
    "gap_pp_base",
    "gap_size_change",
    "min_detectable_change_pp",
    "trend_basis",
    "gap_trend",
    "gap_trend_nl",
    "gap_trend_en",
    "is_series_break",
    "is_sample",
    "data_label",
    "data_label_nl",
    "data_label_en",
    "dataset",
    "producer_nl",
    "producer_en",
]
MICRODATA_GAPS_COLUMNS = [
    "indicator_id",
    "geo",
    "breakdown",
    "group_category",
    "reference_category",
    "year",
    "group_value",
    "reference_value",
    "gap_pp",
    "gap_se",
    "gap_ci_low",
    "gap_ci_high",
    "is_significant",
    "significance_method",
    "variance_method",
    "reliability",
    "gap_base_year",
    "gap_pp_base",
    "gap_size_change",
    "gap_change_se",
    "min_detectable_change_pp",
    "trend_basis",
    "gap_trend",
    "gap_trend_nl",
    "gap_trend_en",
    "is_synthetic",
    "source_file",
]
BREAKDOWN_COLUMNS = [
    "indicator_id",
    "breakdown",
    "category",
    "label_nl",
    "label_en",
    "is_reference",
    "geo",
    "year",
    "value",
    "flags",
    "conf_status",
    "conf_status_nl",
    "conf_status_en",
    "dataset",
    "producer_nl",
    "producer_en",
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
        return ("iedereen (totaal)", "everyone (total)")
    return data.categories.get((indicator_id, breakdown, code), (code, code))


def credit(data: ReportData, indicator: Row) -> dict[str, str]:
    """The dataset(s) and producers of an indicator's figures, as download columns."""
    sources = data.indicator_sources(indicator)
    return {
        "dataset": "; ".join(s["dataset"] for s in sources),
        "producer_nl": "; ".join(dict.fromkeys(s["producer_nl"] or s["producer"] for s in sources)),
        "producer_en": "; ".join(dict.fromkeys(s["producer_en"] or s["producer"] for s in sources)),
    }


def confidentiality(data: ReportData, row: Row) -> dict[str, str | None]:
    """The Dutch and English label of a cell's confidentiality status (vocabulary list
    confidentiality), empty when the producer gave none."""
    code = row.get("conf_status")
    return {
        f"conf_status_{lang}": data.vocab.label("confidentiality", code, lang) if code else None
        for lang in ("nl", "en")
    }


def labelled(data: ReportData, row: Row, column: str, list_name: str) -> dict[str, str | None]:
    """`<column>_nl` and `<column>_en`: the labels of the row's code (vocabulary list
    `list_name`), empty when the row has none."""
    code = row.get(column)
    return {
        f"{column}_{lang}": data.vocab.label(list_name, code, lang) if code else None
        for lang in ("nl", "en")
    }


def series_rows(
    data: ReportData, rows: Sequence[Row], credits: dict[str, str] | None = None
) -> list[tuple]:
    return [
        tuple(
            {
                **r,
                **confidentiality(data, r),
                **labelled(data, r, "data_label", "data_labels"),
                **(credits or {}),
            }.get(c)
            for c in SERIES_COLUMNS
        )
        for r in rows
    ]


def breakdown_rows(data: ReportData, rows: Sequence[Row], credits: dict[str, str]) -> list[tuple]:
    return [
        tuple({**r, **confidentiality(data, r), **credits}[c] for c in BREAKDOWN_COLUMNS)
        for r in rows
    ]


def gap_rows(
    data: ReportData, rows: Sequence[Row], credits: dict[str, str] | None = None
) -> list[tuple]:
    out = []
    for r in rows:
        group = category_label(data, r["indicator_id"], r["breakdown"], r["group_category"])
        ref = category_label(data, r["indicator_id"], r["breakdown"], r["reference_category"])
        values = {
            **r,
            **(credits or {}),
            **labelled(data, r, "gap_trend", "gap_trends"),
            **labelled(data, r, "data_label", "data_labels"),
            "group_label_nl": group[0],
            "group_label_en": group[1],
            "reference_label_nl": ref[0],
            "reference_label_en": ref[1],
        }
        out.append(tuple(values.get(c) for c in GAPS_COLUMNS))
    return out


def microdata_gap_rows(data: ReportData, rows: Sequence[Row]) -> list[tuple]:
    return [
        tuple(
            {**r, **labelled(data, r, "gap_trend", "gap_trends")}.get(c)
            for c in MICRODATA_GAPS_COLUMNS
        )
        for r in rows
    ]


def csv_bytes(columns: Sequence[str], rows: Sequence[tuple]) -> bytes:
    """UTF-8 with a byte-order mark so spreadsheet programs read accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Sequence[tuple]]]) -> bytes:
    """A workbook written in openpyxl's streaming mode (several times faster to build)."""
    book = Workbook(write_only=True)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        sheet.append(list(columns))
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def indicator_files(data: ReportData, indicator: Row) -> dict[str, bytes]:
    """`<id>-series.csv`, `<id>-gaps.csv`, `<id>-breakdowns.csv` and `<id>.xlsx` (series,
    gaps, breakdowns, targets, about); with microdata gaps also `<id>-microdata-gaps.csv`
    and a sheet microdata_gaps."""
    ind = indicator["indicator_id"]
    credits = credit(data, indicator)
    series = series_rows(data, data.series.get(ind, []), credits)
    gaps = gap_rows(data, data.gaps.get(ind, []), credits)
    breakdowns = breakdown_rows(data, data.breakdowns.get(ind, []), credits)
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
        ("dataset", credits["dataset"]),
        ("producer_nl", credits["producer_nl"]),
        ("producer_en", credits["producer_en"]),
        ("dataset_url", "; ".join(s["url"] for s in data.indicator_sources(indicator) if s["url"])),
        (
            "licence_nl",
            "; ".join(
                dict.fromkeys(
                    s["licence_nl"] or s["licence"] for s in data.indicator_sources(indicator)
                )
            ),
        ),
        (
            "licence_en",
            "; ".join(
                dict.fromkeys(
                    s["licence_en"] or s["licence"] for s in data.indicator_sources(indicator)
                )
            ),
        ),
        ("publication_id", pub["publication_id"]),
        ("published_at", pub["published_at"].isoformat()),
        ("is_sample", "SAMPLE DATA (data_label says per figure)" if pub["is_sample"] else "no"),
    ]
    sheets = {
        "series": (SERIES_COLUMNS, series),
        "gaps": (GAPS_COLUMNS, gaps),
        "breakdowns": (BREAKDOWN_COLUMNS, breakdowns),
        "targets": (TARGET_COLUMNS, targets),
        "about": (["field", "value"], about),
    }
    files = {
        routes.download(f"{ind}-series.csv"): csv_bytes(SERIES_COLUMNS, series),
        routes.download(f"{ind}-gaps.csv"): csv_bytes(GAPS_COLUMNS, gaps),
        routes.download(f"{ind}-breakdowns.csv"): csv_bytes(BREAKDOWN_COLUMNS, breakdowns),
    }
    micro = microdata_gap_rows(data, data.microdata_gaps.get(ind, []))
    if micro:
        sheets["microdata_gaps"] = (MICRODATA_GAPS_COLUMNS, micro)
        files[routes.download(f"{ind}-microdata-gaps.csv")] = csv_bytes(
            MICRODATA_GAPS_COLUMNS, micro
        )
    files[routes.download(f"{ind}.xlsx")] = xlsx_bytes(sheets)
    return files


def revisions_file(rows: Sequence[Row]) -> dict[str, bytes]:
    return {
        routes.download("revisions.csv"): csv_bytes(
            REVISION_COLUMNS, [tuple(r[c] for c in REVISION_COLUMNS) for r in rows]
        )
    }


def overview_files(columns: Sequence[str], rows: Sequence[tuple]) -> dict[str, bytes]:
    """The overview's table (one row per indicator x area x target) as CSV and XLSX."""
    return {
        routes.download("overview.csv"): csv_bytes(columns, rows),
        routes.download("overview.xlsx"): xlsx_bytes({"overview": (columns, rows)}),
    }
