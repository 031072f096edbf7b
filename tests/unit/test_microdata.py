"""Microdata aggregates: weighted estimates and standard errors against a hand computation,
respondents counted as persons (also among the numerator and its complement, against a
brute-force count), disclosure exactly at the thresholds, how significance is to be judged,
clear errors for malformed files. (Disclosure control on a constructed file:
test_microdata_disclosure.py.)"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import polars as pl
import pytest

from pipelines.settings import config
from pipelines.sources.microdata.aggregate import aggregate_file
from pipelines.sources.microdata.disclosure import Rules
from pipelines.sources.microdata.schema import MicrodataError

HEADER = [
    "person_id",
    "year",
    "quarter",
    "weight",
    "sex",
    "age",
    "isced",
    "country_of_birth",
    "disability",
    "region",
    "ilo_status",
]
#: no disclosure rule, exact counts: the cells as computed
OPEN = Rules(
    min_n_publish=0,
    min_n_attribute=0,
    max_dominance_pct=100,
    round_counts_to=1,
    round_population_to=1,
    min_n_reliable=0,
)


def person(pid, weight, sex="F", ilo=1, quarter=1, region="BE21", age=30, **extra) -> dict:
    row = {
        "person_id": pid,
        "year": 2023,
        "quarter": quarter,
        "weight": weight,
        "sex": sex,
        "age": age,
        "isced": 3,
        "country_of_birth": "NAT",
        "disability": "N",
        "region": region,
        "ilo_status": ilo,
    }
    return {**row, **extra}


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    header = header or (list(rows[0]) if rows else HEADER)
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def cell(frame, breakdown="total", category="total", geo="BE2", indicator="employment_rate_20_64"):
    rows = frame.filter(
        (frame["indicator_id"] == indicator)
        & (frame["geo"] == geo)
        & (frame["breakdown"] == breakdown)
        & (frame["category"] == category)
    ).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


# Five persons in one quarter: men 10 (employed) + 30 (inactive); women 20 + 20 (employed) and
# 40 (unemployed).
TINY = [
    person(1, 10, "M", 1),
    person(2, 30, "M", 3),
    person(3, 20, "F", 1),
    person(4, 20, "F", 1),
    person(5, 40, "F", 2),
]


def test_weighted_rates_and_records_linearisation_equal_a_hand_computation(tmp_path):
    cells = aggregate_file(write_csv(tmp_path / "tiny.csv", TINY), OPEN)
    women = cell(cells, "sex", "F")
    assert women["value"] == pytest.approx(100 * 40 / 80)
    # z_i = w_i (y_i - R) / W with R = 0.5, W = 80: 0.125, 0.125, -0.25
    variance = 3 / 2 * (0.125**2 + 0.125**2 + 0.25**2)
    assert women["standard_error"] == pytest.approx(100 * math.sqrt(variance))
    assert women["ci_low"] == pytest.approx(max(0.0, 50 - 1.959964 * 100 * math.sqrt(variance)))
    assert women["variance_method"] == "linearised_records"
    assert women["significance_method"] == "not_assessed"  # records only: no honest test
    assert cell(cells, "sex", "M")["value"] == pytest.approx(25.0)
    total = cell(cells)
    assert total["value"] == pytest.approx(100 * 50 / 120)
    assert total["n_unweighted"] == 5
    assert total["deff_kish"] == pytest.approx(5 * (10**2 + 30**2 + 20**2 + 20**2 + 40**2) / 120**2)
    # unemployment 15-74 among the active: 40 unemployed of 90 active
    assert cell(cells, indicator="unemployment_rate")["value"] == pytest.approx(100 * 40 / 90)


def test_strata_and_psu_give_the_design_based_variance(tmp_path):
    design = {1: ("S1", "A"), 2: ("S1", "A"), 3: ("S1", "B"), 4: ("S2", "C"), 5: ("S2", "D")}
    rows = [
        {**r, "strata": design[r["person_id"]][0], "psu": design[r["person_id"]][1]} for r in TINY
    ]
    cells = aggregate_file(write_csv(tmp_path / "design.csv", rows), OPEN)
    total = cell(cells)
    r, big_w = 50 / 120, 120
    z = {  # PSU totals of w (y - R) / W
        "A": (10 * (1 - r) + 30 * (0 - r)) / big_w,
        "B": 20 * (1 - r) / big_w,
        "C": 20 * (1 - r) / big_w,
        "D": 40 * (0 - r) / big_w,
    }
    variance = sum(
        2 / 1 * ((z[a] - (z[a] + z[b]) / 2) ** 2 + (z[b] - (z[a] + z[b]) / 2) ** 2)
        for a, b in (("A", "B"), ("C", "D"))
    )
    assert total["standard_error"] == pytest.approx(100 * math.sqrt(variance))
    assert total["variance_method"] == "linearised_strata_psu"
    assert total["significance_method"] == "design_based"


def test_records_only_significance_can_be_inflated_by_kish(tmp_path):
    path = write_csv(tmp_path / "tiny.csv", TINY)
    inflated = aggregate_file(path, OPEN, records_only_significance="inflate_deff_kish")
    assert set(inflated["significance_method"]) == {"records_inflated_deff_kish"}
    with pytest.raises(ValueError, match="records_only_significance"):
        aggregate_file(path, OPEN, records_only_significance="hope")


def test_respondents_are_persons_not_person_quarters(tmp_path):
    rows = [person(p, 10, quarter=q) for p in range(1, 4) for q in (1, 2, 3)]
    rows.append(person(4, 10, quarter=1, age=34))
    rows.append(person(4, 10, quarter=2, age=35))  # a birthday: two age bands, one person
    cells = aggregate_file(write_csv(tmp_path / "quarters.csv", rows), OPEN)
    total = cell(cells)
    assert (total["n_unweighted"], total["n_records"]) == (4, 11)
    assert cell(cells, "age_band", "Y25-34")["n_unweighted"] == 4
    assert cell(cells, "age_band", "Y35-44")["n_unweighted"] == 1
    assert cell(cells, "sex", "F")["n_unweighted"] == 4


def _cell_with(tmp_path: Path, n_women: int) -> dict:
    """`n_women` women (each in two quarters; two in three employed) in Limburg among 300 men
    (half employed) in Antwerp."""
    rows = [person(p, 50, "M", ilo=1 + 2 * (p % 2)) for p in range(300)]
    rows += [
        person(1000 + p, 50, "F", ilo=3 if p % 3 == 0 else 1, region="BE22", quarter=q)
        for p in range(n_women)
        for q in (1, 2)
    ]
    frame = aggregate_file(
        write_csv(tmp_path / f"n{n_women}.csv", rows), Rules.from_config(config())
    )
    return cell(frame, "sex", "F", geo="BE22")


def test_suppression_exactly_at_min_n_publish(tmp_path):
    limit = int(config()["disclosure"]["min_n_publish"])
    below, at = _cell_with(tmp_path, limit - 1), _cell_with(tmp_path, limit)
    assert below["status"] == "suppressed" and below["is_suppressed"]
    assert below["suppression_rule"] == "min_respondents"
    assert below["value"] is None and below["ci_low"] is None and below["n_unweighted"] is None
    assert at["status"] != "suppressed" and at["value"] == pytest.approx(100 * 20 / 30)
    assert at["n_unweighted"] == limit  # a multiple of the rounding base already


def test_low_reliability_exactly_at_min_n_reliable(tmp_path):
    limit = int(config()["disclosure"]["min_n_reliable"])
    below, at = _cell_with(tmp_path, limit - 1), _cell_with(tmp_path, limit)
    assert below["status"] == "low_reliability" and below["is_low_reliability"]
    assert below["value"] is not None
    assert at["status"] == "reliable" and not at["is_low_reliability"]


def test_respondents_in_numerator_and_complement_equal_a_brute_force_count(tmp_path):
    """The attribute rule counts persons with and without the attribute; a person whose
    status or age band changes within the year is counted in every cell they were in."""
    import duckdb

    from pipelines.sources.microdata.aggregate import aggregate
    from pipelines.sources.microdata.synthetic import write

    path = write(tmp_path / "SYNTHETIC_count.parquet", rows=3000)
    computed = aggregate(path, OPEN, keep_cells=True).computed
    seen = computed.filter(pl.col("breakdown").is_in(["total", "age_band"])).select(
        "ind", "year", "geo", "breakdown", "category", "n_unweighted", "n_numerator", "n_complement"
    )
    brute = dict(
        (tuple(r[:5]), r[5:])
        for r in duckdb.sql(
            f"""
            with records as (
                select person_id, year, region as geo, ilo_status,
                    case when age between 25 and 34 then 'Y25-34'
                         when age between 35 and 44 then 'Y35-44' end as band
                from '{path}' where age between 20 and 64
            )
            select 0, year, geo, 'total', 'total', count(distinct person_id),
                count(distinct case when ilo_status = 1 then person_id end),
                count(distinct case when ilo_status <> 1 then person_id end)
            from records group by all
            union all
            select 0, year, 'BE2', 'age_band', band, count(distinct person_id),
                count(distinct case when ilo_status = 1 then person_id end),
                count(distinct case when ilo_status <> 1 then person_id end)
            from records where band is not null group by all
            """
        ).fetchall()
    )
    ours = {tuple(r[:5]): r[5:] for r in seen.rows() if tuple(r[:5]) in brute}
    assert len(ours) == len(brute) > 30
    assert ours == brute


@pytest.mark.parametrize(
    "edit,message",
    [
        (
            lambda rows: [{k: v for k, v in r.items() if k != "weight"} for r in rows],
            "missing required column(s) weight",
        ),
        (
            lambda rows: [*rows[:2], {**rows[2], "weight": -4}, *rows[3:]],
            "column weight, row 3: '-4' is not a finite person weight > 0",
        ),
        (
            lambda rows: [rows[0], {**rows[1], "sex": "X"}, *rows[2:]],
            "column sex, row 2: 'X' is not M or F",
        ),
        (
            lambda rows: [{**rows[0], "age": "thirty"}, *rows[1:]],
            "column age, row 1: 'thirty' is not an age",
        ),
        (lambda rows: [*rows[:4], {**rows[4], "region": "BE10"}], "column region, row 5: 'BE10'"),
        (
            lambda rows: [{**r, "person_id": ""} for r in rows],
            "column person_id, row 1 (and 4 more row(s)): empty",
        ),
        (lambda rows: [{**r, "strata": "S1"} for r in rows], "strata and psu go together"),
    ],
    ids=[
        "missing-column",
        "negative-weight",
        "bad-sex",
        "text-age",
        "region",
        "no-id",
        "strata-only",
    ],
)
def test_malformed_file_is_refused_naming_column_and_row(tmp_path, edit, message):
    rows = edit([dict(r) for r in TINY])
    path = write_csv(tmp_path / "bad.csv", rows, header=list(rows[0]))
    with pytest.raises(MicrodataError) as err:
        aggregate_file(path, OPEN)
    assert message in str(err.value)
    assert "bad.csv" in str(err.value)


def test_empty_and_unreadable_files_are_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(HEADER) + "\n")
    with pytest.raises(MicrodataError, match="holds no rows"):
        aggregate_file(empty, OPEN)
    spreadsheet = tmp_path / "x.xlsx"
    spreadsheet.write_bytes(b"PK")
    with pytest.raises(MicrodataError, match="use a .parquet or .csv file"):
        aggregate_file(spreadsheet, OPEN)
    with pytest.raises(MicrodataError, match="does not exist"):
        aggregate_file(tmp_path / "missing.parquet", OPEN)
