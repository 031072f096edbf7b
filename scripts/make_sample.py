"""Write the bundled SAMPLE data: synthetic, plausible values in genuine Eurostat formats.

Every series the registry selects gets values for every geography it needs, 2010-2024, with
flags (breaks from the registry, provisional last year, low reliability, estimates) and a few
missing cells. The numbers are invented around published orders of magnitude; they are
labelled SAMPLE in the file names and in every published row. Re-run after registry changes:

    python scripts/make_sample.py
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.registry import load_registry  # noqa: E402
from pipelines.settings import SAMPLE_DIR  # noqa: E402

YEARS = list(range(2010, 2025))

# Headline trajectories (2010 value, 2024 value) for the EU, Belgium and Flanders, the spread of
# member states around the EU, and offsets per breakdown category.
PROFILES: dict[str, dict] = {
    "employment_rate_20_64": {
        "EU27_2020": (68.0, 75.8),
        "BE": (67.6, 72.3),
        "BE2": (72.1, 77.6),
        "spread": 5.5,
        "cat": {"M": 5.5, "F": -5.5, "Y25-54": 6.5, "Y55-64": -14.0},
    },
    "employment_rate_55_64": {
        "EU27_2020": (45.0, 65.0),
        "BE": (37.3, 57.0),
        "BE2": (38.0, 62.0),
        "spread": 8.0,
        "cat": {"M": 7.0, "F": -7.0},
    },
    "employment_rate_low_educated": {
        "EU27_2020": (52.0, 58.0),
        "BE": (47.0, 50.0),
        "BE2": (54.0, 58.5),
        "spread": 7.0,
        "cat": {"ED3_4": 19.0, "ED5-8": 28.0, "TOTAL": 20.0},
    },
    "employment_rate_non_eu_born": {
        "EU27_2020": (57.0, 64.0),
        "BE": (46.0, 55.0),
        "BE2": (53.0, 61.0),
        "spread": 7.0,
        "cat": {"NAT": 18.0, "EU27_2020_FOR": 12.0, "TOTAL": 14.0},
    },
    "disability_employment_gap": {"EU27_2020": (24.0, 21.5), "BE": (34.0, 35.0), "spread": 7.0},
    "unemployment_rate": {
        "EU27_2020": (10.0, 6.0),
        "BE": (8.3, 5.6),
        "BE2": (5.0, 3.6),
        "spread": 3.0,
        "cat": {"M": 0.3, "F": -0.3},
    },
    "long_term_unemployment": {
        "EU27_2020": (3.8, 1.9),
        "BE": (4.0, 2.3),
        "BE2": (1.8, 1.0),
        "spread": 1.5,
    },
    "neet_rate": {
        "EU27_2020": (16.0, 11.0),
        "BE": (13.0, 9.5),
        "BE2": (9.5, 7.0),
        "spread": 3.5,
        "cat": {"M": -0.5, "F": 0.5},
    },
    "job_vacancy_rate": {"EU27_2020": (1.5, 2.3), "BE": (2.8, 4.3), "spread": 0.8},
    "arope": {"EU27_2020": (23.8, 21.0), "BE": (20.8, 18.3), "BE2": (13.9, 11.5), "spread": 5.0},
    "arope_count": {
        "EU27_2020": (110000, 93000),
        "BE": (2235, 2100),
        "BE2": (890, 800),
        "count": True,
    },
    "arope_children": {"EU27_2020": (24.5, 24.0), "BE": (23.0, 18.5), "spread": 6.0},
    "arope_children_count": {"EU27_2020": (20000, 19500), "BE": (550, 450), "count": True},
    # Flanders within the quoted "stable between 10 and 11%" (seed 002, lines ~265-275)
    "arop": {"EU27_2020": (16.5, 16.2), "BE": (14.6, 12.0), "BE2": (10.5, 10.5), "spread": 4.0},
    "severe_deprivation": {
        "EU27_2020": (10.0, 6.4),
        "BE": (8.0, 6.0),
        "BE2": (4.5, 3.0),
        "spread": 5.0,
    },
    "severe_material_deprivation_9items": {
        "EU27_2020": (8.4, 5.7),
        "BE": (5.9, 4.9),
        "BE2": (2.5, 2.0),
        "spread": 5.0,
    },
    "low_work_intensity": {
        "EU27_2020": (10.0, 8.0),
        "BE": (14.0, 11.5),
        "BE2": (9.5, 7.5),
        "spread": 3.0,
    },
    "energy_poverty_warmth": {"EU27_2020": (9.0, 10.6), "BE": (5.5, 4.5), "spread": 6.0},
    "housing_cost_overburden": {"EU27_2020": (10.5, 8.8), "BE": (9.5, 7.5), "spread": 4.0},
    "income_quintile_ratio": {"EU27_2020": (5.0, 4.7), "BE": (3.9, 3.4), "spread": 1.0},
    "disposable_income": {
        "EU27_2020": (15500, 21000),
        "BE": (17500, 23500),
        "BE2": (18500, 25000),
        "spread": 4000,
    },
    "adult_learning_4w": {
        "EU27_2020": (7.6, 12.9),
        "BE": (7.4, 11.2),
        "BE2": (7.9, 12.0),
        "spread": 7.0,
        "cat": {"M": -0.8, "F": 0.8},
    },
    "adult_learning_4w_low_educated": {
        "EU27_2020": (3.5, 5.8),
        "BE": (2.8, 4.5),
        "spread": 3.0,
        "cat": {"ED3_4": 4.0, "ED5-8": 10.0, "TOTAL": 6.0},
    },
    "adult_learning_12m_lfs": {
        "EU27_2020": (39.0, 41.0),
        "BE": (27.0, 28.5),
        "BE2": (25.5, 26.8),
        "spread": 9.0,
        "cat": {"M": -1.0, "F": 1.0},
    },
    "adult_learning_12m_aes": {
        "EU27_2020": (40.0, 47.0),
        "BE": (38.0, 45.1),
        "spread": 12.0,
        "cat": {"M": 0.5, "F": -0.5},
    },
    "early_leavers": {
        "EU27_2020": (13.8, 9.3),
        "BE": (11.9, 6.2),
        "BE2": (9.6, 5.0),
        "spread": 3.0,
        "cat": {"M": 2.0, "F": -2.0},
    },
    "low_educated_share": {
        "EU27_2020": (27.0, 20.0),
        "BE": (29.0, 19.5),
        "BE2": (27.0, 17.0),
        "spread": 9.0,
        "cat": {"M": 1.0, "F": -1.0},
    },
    "tertiary_25_34": {
        "EU27_2020": (33.0, 44.0),
        "BE": (42.0, 50.0),
        "BE2": (42.0, 52.0),
        "spread": 8.0,
        "cat": {"M": -5.0, "F": 5.0},
    },
    "basic_digital_skills": {"EU27_2020": (54.0, 56.0), "BE": (54.2, 59.4), "spread": 12.0},
}
# Synthetic cells pinned to a figure quoted in the SERV documents (the same figures the sample
# delivery statbel_poverty quotes), so that the synthetic series does not contradict them:
# (indicator, geo, year) -> value. The whole stretch of the series up to the next or back to
# the last series break moves with the pinned cell.
QUOTED = {
    # seed 002, SERV advies Duurzaamheid en armoede, lines ~265-320: "In België ligt het
    # armoederisico op 16%" (2018)
    ("arop", "BE", 2018): 16.0,
}
DEFAULT_PROFILE = {
    "EU27_2020": (50.0, 52.0),
    "BE": (50.0, 51.0),
    "BE2": (48.0, 50.0),
    "spread": 5.0,
}


def noise(*parts: object) -> float:
    """Deterministic pseudo-random number in [-1, 1] from the given keys."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**31 - 1.0


def headline(profile: dict, geo: str, year: int) -> float:
    t = (year - YEARS[0]) / (YEARS[-1] - YEARS[0])
    if geo in profile:
        start, end = profile[geo]
        if profile.get("count"):
            return start + (end - start) * t + 0.002 * start * noise("year", geo, year)
    elif geo.startswith("BE2") and len(geo) == 4:
        start, end = profile["BE2"]
        shift = 2.0 * noise("province", geo)
        start, end = start + shift, end + shift
    elif profile.get("count"):
        start, end = profile["EU27_2020"]
        share = 0.002 + 0.09 * (noise("share", geo) + 1) / 2
        return (start + (end - start) * t) * share * (1 + 0.01 * noise("year", geo, year))
    else:
        start, end = profile["EU27_2020"]
        shift = profile["spread"] * noise("country", geo)
        slope = 0.4 * noise("slope", geo) * abs(end - start)
        start, end = start + shift, end + shift + slope
    return start + (end - start) * t + 0.35 * noise("year", geo, year)


def cell(value: float | None, flags: str) -> str:
    text = ":" if value is None else (f"{value:.0f}" if abs(value) >= 1000 else f"{value:.1f}")
    return f"{text} {flags}".rstrip(" ") + (" " if not flags else "")


def dataset_years(dataset: dict) -> list[int]:
    if "waves" in dataset:
        return sorted(dataset["waves"], reverse=True)
    first = dataset.get("first_year", YEARS[0])
    return [y for y in sorted(YEARS, reverse=True) if y >= first]


def _generated(profile: dict, category: str, geo: str, year: int) -> float:
    offset = profile.get("cat", {}).get(category, 0.0)
    return headline(profile, geo, year) + offset + 0.3 * noise("cat", category, geo, year)


def _quoted_shift(ind_id: str, category: str, geo: str, year: int, profile: dict, breaks) -> float:
    """How far a pinned cell (QUOTED) moves its stretch of the series: 0 outside it."""
    for (pinned_ind, pinned_geo, pinned_year), value in QUOTED.items():
        if (pinned_ind, pinned_geo, category) != (ind_id, geo, "total"):
            continue
        low, high = sorted((year, pinned_year))
        if not any(low < int(b) <= high for b in breaks):
            return value - _generated(profile, category, geo, pinned_year)
    return 0.0


def series_cells(
    reg, ind: dict, category: str, geo: str, profile: dict, years: list[int]
) -> list[str]:
    lo, hi = ind["plausible_range"]
    breaks = {b["period"] for b in ind.get("series_breaks", []) if b["geo"] in ("*", geo)}
    out = []
    for year in years:
        value = _generated(profile, category, geo, year)
        value += _quoted_shift(ind["id"], category, geo, year, profile, breaks)
        value = min(max(value, lo + 0.5), hi - 0.5)
        flags = ""
        if str(year) in breaks:
            flags += "b"
        if (
            len(geo) == 4
            and geo.startswith("BE")
            and category != "total"
            and noise("u", geo, year) > 0.6
        ):
            flags += "u"
        if geo == "EU27_2020" and year < 2013:
            flags += "e"
        if year == years[0] and geo in ("BE", "BE2", "EU27_2020", "DE"):
            flags += "p"
        missing = (geo == "MT" and year < 2012) or (
            len(geo) == 4 and category != "total" and noise("c", geo, category, year) > 0.93
        )
        if missing:
            flags = "c" if len(geo) == 4 else flags.replace("p", "")
            out.append(cell(None, flags))
        else:
            out.append(cell(round(value, 1), flags))
    return out


def write_dataset(reg, code: str) -> Path:
    dataset = reg.datasets[code]
    dims = dataset["dimensions"]
    years = dataset_years(dataset)
    rows: dict[tuple, list[str]] = {}
    for ind in reg.indicators.values():
        if ind.get("source", {}).get("dataset") != code:
            continue
        profile = PROFILES.get(ind["id"], DEFAULT_PROFILE)
        for series in reg.series(ind):
            for geo in reg.indicator_geos(ind):
                codes = {**series["filters"], "geo": geo}
                key = tuple(codes[d] for d in dims)
                rows[key] = series_cells(reg, ind, series["category"], geo, profile, years)
    header = ",".join(dims) + "\\time\t" + "\t".join(f"{y} " for y in years)
    lines = [header] + [",".join(k) + "\t" + "\t".join(v) for k, v in sorted(rows.items())]
    target = SAMPLE_DIR / "eurostat" / f"SAMPLE_{code}.tsv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main() -> None:
    reg = load_registry()
    for code, dataset in reg.datasets.items():
        if dataset["source"] == "eurostat":
            path = write_dataset(reg, code)
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
