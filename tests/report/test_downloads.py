"""The CSV and XLSX downloads hold exactly what the charts draw, and that is what the
published marts hold."""

from __future__ import annotations

import csv
import io
from collections import Counter

import duckdb
from openpyxl import load_workbook


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _same(cell, text: str) -> bool:
    """An XLSX cell equals a CSV field (Excel gives 74 for 74.0)."""
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return float(text) == float(cell)
    return ("" if cell is None else str(cell)) == text


def _charted(published_db, indicator_id, unit):
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        geos = (
            ["BE2", "BE"]
            if unit == "thousand_persons"
            else ["BE2", "BE", "EU27_2020", "NL", "DE", "FR", "LU"]
        )
        rows = con.execute(
            "select geo, period, value from mart_indicator_series where indicator_id = ? "
            "and breakdown = 'total' and (value is not null or is_confidential) and geo in ?",
            [indicator_id, geos],
        ).fetchall()
        gaps = con.execute(
            "select count(*) from mart_group_gaps where indicator_id = ? and gap_pp is not null "
            "and geo = (select coalesce(max(geo) filter (where geo = 'BE2'), 'BE') from mart_group_gaps "
            "           where indicator_id = ? and gap_pp is not null and geo in ('BE2', 'BE'))",
            [indicator_id, indicator_id],
        ).fetchone()[0]
        return {(g, p, None if v is None else round(v, 6)) for g, p, v in rows}, gaps
    finally:
        con.close()


def _points(svg):
    return Counter(
        g.attrs["data-key"]
        for g in svg.find_all("g", cls="series")
        for _ in g.find_all(cls="point")
    )


def test_series_downloads_match_the_chart_and_the_marts(pages, report_dir, published_db):
    con = duckdb.connect(str(published_db), read_only=True)
    indicators = con.execute("select indicator_id, unit from dim_indicator").fetchall()
    con.close()
    checked = 0
    for indicator_id, unit in indicators:
        rows = _csv(report_dir / "data" / f"{indicator_id}-series.csv")
        expected, _ = _charted(published_db, indicator_id, unit)
        assert {
            (r["geo"], r["period"], round(float(r["value"]), 6) if r["value"] else None)
            for r in rows
        } == expected
        assert len(rows) == len(expected)
        # a confidential cell (no value) is no point of the chart; it carries its status
        assert all(r["conf_status"] and r["conf_status_nl"] for r in rows if not r["value"])
        charted = [r for r in rows if r["value"]]
        svg = pages[f"indicator/{indicator_id}.html"].root.find("svg", id="chart-series")
        if not charted:
            assert svg is None
            continue
        assert _points(svg) == Counter(r["geo"] for r in charted)
        assert all(r["is_sample"] == "True" for r in rows)
        checked += 1
    assert checked >= 25


def test_gap_downloads_match_the_chart(pages, report_dir, published_db):
    with_gaps = 0
    for path in sorted((report_dir / "data").glob("*-gaps.csv")):
        indicator_id = path.name.removesuffix("-gaps.csv")
        rows = _csv(path)
        _, expected = _charted(published_db, indicator_id, "pct")
        assert len(rows) == expected
        svg = pages[f"indicator/{indicator_id}.html"].root.find("svg", id="chart-gaps")
        if rows:
            with_gaps += 1
            keys = Counter(
                f"{r['breakdown']}:{r['group_category']}:{r['reference_category']}" for r in rows
            )
            assert _points(svg) == keys
        else:
            assert svg is None
    assert with_gaps >= 5


def test_workbook_holds_the_same_rows_as_the_csv_files(report_dir):
    for indicator_id in ("employment_rate_20_64", "arope_count", "adult_learning_4w"):
        book = load_workbook(report_dir / "data" / f"{indicator_id}.xlsx", read_only=True)
        assert book.sheetnames == ["series", "gaps", "breakdowns", "targets", "about"]
        for sheet, suffix in (("series", "series"), ("gaps", "gaps"), ("breakdowns", "breakdowns")):
            rows = list(book[sheet].iter_rows(values_only=True))
            csv_rows = _csv(report_dir / "data" / f"{indicator_id}-{suffix}.csv")
            assert list(rows[0]) == list(csv_rows[0].keys()) if csv_rows else True
            assert len(rows) - 1 == len(csv_rows)
            for xl, text in zip(rows[1:], csv_rows, strict=True):
                assert [_same(v, t) for v, t in zip(xl, text.values(), strict=True)] == [
                    True
                ] * len(xl)
        about = dict(book["about"].iter_rows(values_only=True))
        assert about["indicator_id"] == indicator_id and about["is_sample"].startswith(
            "SAMPLE DATA"
        )
        targets = list(book["targets"].iter_rows(values_only=True))
        if indicator_id == "employment_rate_20_64":
            assert {t[0] for t in targets[1:]} == {
                "eu2030_employment_78",
                "be2030_employment_80",
                "vl2030_employment_80",
            }


def test_every_download_credits_its_producer(report_dir, published_db):
    """VDAB, Statbel and partner figures say so; Eurostat's say Eurostat."""
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        producers = dict(
            con.execute(
                "select i.indicator_id, s.producer_en from dim_indicator i "
                "join dim_source s using (dataset)"
            ).fetchall()
        )
    finally:
        con.close()
    assert any(p.startswith("VDAB") for p in producers.values())
    for indicator_id, producer in producers.items():
        for rows in (
            _csv(report_dir / "data" / f"{indicator_id}-series.csv"),
            _csv(report_dir / "data" / f"{indicator_id}-breakdowns.csv"),
        ):
            assert all(r["producer_en"] == producer for r in rows), indicator_id
        book = load_workbook(report_dir / "data" / f"{indicator_id}.xlsx", read_only=True)
        about = dict(book["about"].iter_rows(values_only=True))
        assert about["producer_en"] == producer and about["producer_nl"]


def test_breakdown_downloads_match_the_breakdown_tables(pages, report_dir):
    checked = 0
    for path in sorted((report_dir / "data").glob("*-breakdowns.csv")):
        indicator_id = path.name.removesuffix("-breakdowns.csv")
        rows = _csv(path)
        section = pages[f"indicator/{indicator_id}.html"].root.find(
            "section", **{"aria-labelledby": "breakdowns"}
        )
        if not rows:
            assert section is None
            continue
        bars = section.find_all("table", cls="breakdown")
        assert len(bars) == len({r["breakdown"] for r in rows})
        assert sum(len(t.find("tbody").find_all("tr")) for t in bars) == len(rows)
        checked += 1
    assert checked >= 10


def test_overview_download_holds_every_verdict(report_dir, published_db):
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        expected = set(
            con.execute("select target_id, geo, verdict from mart_target_progress").fetchall()
        )
    finally:
        con.close()
    rows = _csv(report_dir / "data" / "overview.csv")
    got = {(r["target_id"], r["geo"], r["verdict"]) for r in rows if r["target_id"]}
    assert got == expected
    assert all(r["verdict_nl"] and r["verdict_en"] for r in rows if r["target_id"])
    book = load_workbook(report_dir / "data" / "overview.xlsx", read_only=True)
    assert len(list(book["overview"].iter_rows())) == len(rows) + 1
