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

from pipelines.lib.registry import load_registry  # noqa: E402
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
        "cat": {"M": 5.5, "F": -5.5},
    },
    "arope": {
        "EU27_2020": (23.8, 21.0),
        "BE": (20.8, 18.3),
        "BE2": (13.9, 11.5),
        "spread": 5.0,
    },
    "adult_learning_4w": {
        "EU27_2020": (7.6, 12.9),
        "BE": (7.4, 11.2),
        "BE2": (7.9, 12.0),
        "spread": 7.0,
        "cat": {"M": -0.8, "F": 0.8},
    },
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
    elif geo.startswith("BE2") and len(geo) == 4:
        start, end = profile["BE2"]
        shift = 2.0 * noise("province", geo)
        start, end = start + shift, end + shift
    else:
        start, end = profile["EU27_2020"]
        shift = profile["spread"] * noise("country", geo)
        slope = 0.4 * noise("slope", geo) * abs(end - start)
        start, end = start + shift, end + shift + slope
    return start + (end - start) * t + 0.35 * noise("year", geo, year)


def cell(value: float | None, flags: str) -> str:
    text = ":" if value is None else f"{value:.1f}"
    return f"{text} {flags}".rstrip(" ") + (" " if not flags else "")


def series_cells(reg, ind: dict, category: str, geo: str, profile: dict) -> list[str]:
    offset = profile.get("cat", {}).get(category, 0.0)
    lo, hi = ind["plausible_range"]
    breaks = {b["period"] for b in ind.get("series_breaks", []) if b["geo"] in ("*", geo)}
    out = []
    for year in sorted(YEARS, reverse=True):
        value = headline(profile, geo, year) + offset + 0.3 * noise("cat", category, geo, year)
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
        if year == YEARS[-1] and geo in ("BE", "BE2", "EU27_2020", "DE"):
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
    rows: dict[tuple, list[str]] = {}
    for ind in reg.indicators.values():
        if ind.get("source", {}).get("dataset") != code:
            continue
        profile = PROFILES.get(ind["id"], DEFAULT_PROFILE)
        for series in reg.series(ind):
            for geo in reg.indicator_geos(ind):
                codes = {**series["filters"], "geo": geo}
                key = tuple(codes[d] for d in dims)
                rows[key] = series_cells(reg, ind, series["category"], geo, profile)
    header = ",".join(dims) + "\\time\t" + "\t".join(f"{y} " for y in sorted(YEARS, reverse=True))
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
