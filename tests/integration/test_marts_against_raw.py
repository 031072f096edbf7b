"""The published marts agree with a direct computation from the raw SAMPLE files.

The raw files are read here with plain Python (not the pipeline's parser), and the methods
re-implemented from docs (SDG CAGR ratio, Social Scoreboard z-scores), so a wrong join,
filter or formula in the dbt models shows up as a mismatch.
"""

from __future__ import annotations

import math
import statistics

import duckdb
import pytest

from pipelines.registry import load_registry
from tests.conftest import SAMPLE_EUROSTAT

EU_MEMBERS = load_registry().geo_sets["eu_members"]


def raw_series(dataset: str, **codes: str) -> dict[str, dict[int, tuple[float | None, str]]]:
    """{geo: {year: (value, flags)}} for the rows whose dimension codes match `codes`."""
    lines = (SAMPLE_EUROSTAT / f"SAMPLE_{dataset}.tsv").read_text().splitlines()
    head = lines[0].split("\t")
    dims = head[0].split("\\")[0].split(",")
    years = [int(h.strip()) for h in head[1:]]
    out: dict[str, dict[int, tuple[float | None, str]]] = {}
    for line in lines[1:]:
        cells = line.split("\t")
        key = dict(zip(dims, cells[0].split(","), strict=True))
        if any(key[k] != v for k, v in codes.items()):
            continue
        series = out.setdefault(key["geo"], {})
        for year, cell in zip(years, cells[1:], strict=True):
            value, _, flags = cell.strip().partition(" ")
            series[year] = (None if value == ":" else float(value), flags.strip())
    return out


def fetch(home, sql, params=None):
    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        cols = [d[0] for d in cursor.description]
        return [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()


def test_target_progress_ratio_recomputed(published_home):
    """Flanders 80% in 2030 (base 2019): the 2021 LFS break moves the base to 2021."""
    series = raw_series("lfst_r_lfe2emprt", unit="PC", sex="T", age="Y20-64")["BE2"]
    latest = max(y for y, (v, _) in series.items() if v is not None)
    breaks = {2017, 2021} | {y for y, (_, f) in series.items() if "b" in f}
    base = max(b for b in breaks if 2019 < b <= latest)
    y0, yt = series[base][0], series[latest][0]
    observed = (yt / y0) ** (1 / (latest - base)) - 1
    required = (80 / y0) ** (1 / (2030 - base)) - 1
    ratio = observed / abs(required)
    row = fetch(
        published_home,
        "select * from mart_target_progress where target_id = 'vl2030_employment_80'",
    )[0]
    assert (row["base_year_used"], row["latest_year"], row["break_year"]) == (base, latest, base)
    assert row["base_value"] == y0 and row["latest_value"] == yt
    assert math.isclose(row["ratio"], ratio, rel_tol=1e-9)
    expected = (
        "on_track"
        if ratio >= 0.95
        else "moderate_progress"
        if ratio >= 0.6
        else "insufficient_progress"
        if ratio >= 0
        else "moving_away"
    )
    assert row["verdict"] == ("achieved" if yt >= 80 else expected)


def test_count_target_uses_counts(published_home):
    series = raw_series("ilc_peps11n", unit="THS_PER")["BE"]
    latest = max(y for y, (v, _) in series.items() if v is not None)
    row = fetch(
        published_home,
        "select * from mart_target_progress where target_id = 'be2030_arope_minus_279k'",
    )[0]
    assert row["target_level"] == pytest.approx(series[2019][0] - 279)
    assert row["latest_value"] == series[latest][0]


def test_benchmark_z_scores_recomputed(published_home):
    series = raw_series("lfst_r_lfe2emprt", unit="PC", sex="T", age="Y20-64")
    year = 2024
    levels = [series[g][year][0] for g in EU_MEMBERS if series[g][year][0] is not None]
    changes = [
        series[g][year][0] - series[g][year - 1][0]
        for g in EU_MEMBERS
        if series[g][year][0] is not None and series[g][year - 1][0] is not None
    ]
    be2 = series["BE2"][year][0]
    z_level = (be2 - statistics.fmean(levels)) / statistics.pstdev(levels)
    z_change = (be2 - series["BE2"][year - 1][0] - statistics.fmean(changes)) / statistics.pstdev(
        changes
    )
    row = fetch(
        published_home,
        "select * from mart_benchmark where indicator_id = 'employment_rate_20_64' and geo = 'BE2' and year = ?",
        [year],
    )[0]
    assert row["n_members"] == len(levels)
    assert row["z_level"] == pytest.approx(z_level, abs=1e-6)
    assert row["z_change"] == pytest.approx(z_change, abs=1e-6)
    assert row["rank_among_members"] == 1 + sum(1 for v in levels if v > be2)


def test_gender_gap_recomputed(published_home):
    women = raw_series("lfst_r_lfe2emprt", unit="PC", sex="F", age="Y20-64")["BE2"]
    men = raw_series("lfst_r_lfe2emprt", unit="PC", sex="M", age="Y20-64")["BE2"]
    gap = fetch(
        published_home,
        "select year, gap_pp from mart_group_gaps where indicator_id = 'employment_rate_20_64' "
        "and breakdown = 'sex' and group_category = 'F' and geo = 'BE2' and gap_pp is not null",
    )
    assert gap and all(
        math.isclose(r["gap_pp"], women[r["year"]][0] - men[r["year"]][0], abs_tol=1e-6)
        for r in gap
    )
    derived = fetch(
        published_home,
        "select period_year, value from fct_indicator_values where indicator_id = 'employment_gender_gap' and geo = 'BE2'",
    )
    assert all(
        math.isclose(
            r["value"], men[r["period_year"]][0] - women[r["period_year"]][0], abs_tol=1e-6
        )
        for r in derived
    )


def test_every_target_has_a_progress_row(published_home):
    reg = load_registry()
    expected = {(t["id"], g) for t in reg.targets.values() for g in t["assessed_for"]}
    rows = fetch(published_home, "select target_id, geo, verdict from mart_target_progress")
    assert {(r["target_id"], r["geo"]) for r in rows} == expected
    assert all(r["verdict"] for r in rows)


def test_flanders_is_benchmarked_wherever_it_has_data(published_home):
    with_data = fetch(
        published_home,
        """select distinct f.indicator_id from fct_indicator_values f join dim_indicator i using (indicator_id)
           where f.geo = 'BE2' and f.value is not null and i.unit not in ('thousand_persons', 'persons')
             and exists (select 1 from fct_indicator_values m join dim_geo g using (geo)
                         where g.is_eu_member and m.indicator_id = f.indicator_id)""",
    )
    benchmarked = fetch(
        published_home, "select distinct indicator_id from mart_benchmark where geo = 'BE2'"
    )
    assert {r["indicator_id"] for r in with_data} == {r["indicator_id"] for r in benchmarked}
    assert len(benchmarked) >= 15
