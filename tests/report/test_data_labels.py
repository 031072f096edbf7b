"""What a figure is, from the fact table to the report: figures quoted from a source document
(`sample`) and invented ones (`synthetic`) are told apart in fct_indicator_values, in the
downloads and in the banner, which no longer calls quoted figures invented; the synthetic
Eurostat sample agrees with the quoted figure of the same year. (Delivered figures:
tests/integration/test_intake_refresh.py, a delivery from the intake folder.)"""

from __future__ import annotations

import csv
import io

import duckdb


def _query(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_the_fact_table_tells_quoted_from_invented_figures(published_db):
    labels = dict(
        _query(
            published_db,
            "select geo, data_label from fct_indicator_values "
            "where indicator_id = 'arop_statbel' and period = '2018'",
        )
    )
    # quoted from the SERV advice (seed 002); Flanders' 2018 row is invented within the band
    assert labels == {
        "BE": "sample",
        "BE1": "sample",
        "BE3": "sample",
        "EU28": "sample",
        "BE2": "synthetic",
    }
    counts = dict(
        _query(published_db, "select data_label, count(*) from fct_indicator_values group by 1")
    )
    assert set(counts) == {"sample", "synthetic"} and counts["synthetic"] > 10 * counts["sample"]
    assert _query(
        published_db,
        "select count(*) from fct_indicator_values where is_sample <> (data_label <> 'delivered')",
    ) == [(0,)]


def test_the_synthetic_series_agrees_with_the_quoted_figure(published_db):
    (synthetic, quoted) = _query(
        published_db,
        "select max(value) filter (where indicator_id = 'arop'), "
        "max(value) filter (where indicator_id = 'arop_statbel') "
        "from fct_indicator_values where geo = 'BE' and period = '2018' and breakdown = 'total'",
    )[0]
    assert quoted == 16.0 and round(synthetic) == quoted
    flanders = [
        v
        for (v,) in _query(
            published_db,
            "select value from fct_indicator_values where indicator_id = 'arop' and geo = 'BE2'",
        )
    ]
    assert flanders and all(10 <= v <= 11 for v in flanders)  # "stable between 10 and 11%"


def test_downloads_carry_the_label_of_every_figure(report_dir):
    text = (report_dir / "data" / "arop_statbel-series.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_key = {(r["geo"], r["period"]): r["data_label"] for r in rows}
    assert by_key[("BE", "2018")] == "sample"
    assert by_key[("BE2", "2018")] == "synthetic"


def test_the_banner_counts_made_up_and_quoted_figures(pages, published_db):
    counts = dict(
        _query(published_db, "select data_label, count(*) from fct_indicator_values group by 1")
    )
    en = pages["en/index.html"].root.find("header").find(cls="sample-banner").text()
    nl = pages["index.html"].root.find("header").find(cls="sample-banner").text()
    assert f"{counts['synthetic']:,} figures are made up" in en
    assert f"{counts['sample']:,} figures are quoted from the source documents" in en
    assert "not delivered by the producer" in en
    assert f"{counts['synthetic']:,}".replace(",", ".") + " cijfers zijn verzonnen" in nl
    assert f"{counts['sample']} cijfers zijn geciteerd" in nl
    assert "made-up figures to demonstrate" not in en  # the old wording called all invented
