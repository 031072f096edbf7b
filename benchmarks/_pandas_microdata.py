"""The pandas baseline for the microdata benchmark: the same cells as
`pipelines.sources.microdata.aggregate` (same rules, bands, distinct-person counts and
PSU-linearised standard errors), written as plain pandas groupbys, one per grouping set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.sources.microdata.schema import REGIONS

AGE_BANDS = [(15, 19), (20, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74)]
COB = {"NAT": "NAT", "EU": "EU27_2020_FOR", "NEU": "NEU27_2020_FOR"}
DIMS = ["sex", "age_band", "education", "country_of_birth", "disability"]


def _check(df: pd.DataFrame) -> None:
    bad = (
        df["person_id"].isna()
        | ~df["year"].between(1990, 2100)
        | ~df["quarter"].between(1, 4)
        | ~(np.isfinite(df["weight"]) & (df["weight"] > 0))
        | ~df["sex"].isin(["M", "F"])
        | ~df["age"].between(0, 120)
        | ~(df["isced"].isna() | df["isced"].between(0, 8))
        | ~(df["country_of_birth"].isna() | df["country_of_birth"].isin(list(COB)))
        | ~(df["disability"].isna() | df["disability"].isin(["Y", "N"]))
        | ~df["region"].isin(REGIONS)
        | ~df["ilo_status"].isin([1, 2, 3])
    )
    if bad.any():
        raise ValueError(f"{int(bad.sum())} invalid rows")


def _bands(df: pd.DataFrame) -> pd.DataFrame:
    age = pd.Series(pd.NA, index=df.index, dtype="object")
    for lo, hi in AGE_BANDS:
        age[df["age"].between(lo, hi)] = f"Y{lo}-{hi}"
    edu = pd.Series(pd.NA, index=df.index, dtype="object")
    edu[df["isced"] <= 8] = "ED5-8"
    edu[df["isced"] <= 4] = "ED3_4"
    edu[df["isced"] <= 2] = "ED0-2"
    return df.assign(
        age_band=age,
        education=edu,
        country_of_birth=df["country_of_birth"].map(COB),
        sex=df["sex"].astype("object"),
        disability=df["disability"].astype("object"),
        region=df["region"].astype("object"),
        strata=df["strata"].astype("object"),
        psu=df["psu"].astype("object"),
    )


def _indicator(sub: pd.DataFrame, n_quarters: pd.Series, psus: pd.Series) -> list[pd.DataFrame]:
    out = []
    for geo in ([], ["region"]):
        for dim in [None, *DIMS]:
            keys = ["year", *geo, *([dim] if dim else [])]
            part = sub.dropna(subset=[dim]) if dim else sub
            cells = part.groupby(keys).agg(
                n_unweighted=("person_id", "nunique"),
                n_records=("weight", "size"),
                w=("weight", "sum"),
                a=("wy", "sum"),
                ww=("ww", "sum"),
            )
            cells["r"] = cells["a"] / cells["w"]
            units = part.groupby([*keys, "strata", "psu"]).agg(w=("weight", "sum"), a=("wy", "sum"))
            units = units.join(cells[["r", "w"]].rename(columns={"w": "W"}), on=keys)
            units["z"] = (units["a"] - units["r"] * units["w"]) / units["W"]
            units["zz"] = units["z"] ** 2
            strata = units.groupby([*keys, "strata"])[["z", "zz"]].sum().reset_index()
            strata = strata.join(psus, on=["year", "strata"])
            strata = strata[strata["n_h"] > 1]
            strata["v"] = (
                strata["n_h"]
                / (strata["n_h"] - 1)
                * (strata["zz"] - strata["z"] ** 2 / strata["n_h"])
            )
            var = strata.groupby(keys)["v"].sum()
            cells = cells.join(var.rename("var")).reset_index()
            cells["geo"] = cells["region"] if geo else "BE2"
            cells["breakdown"] = dim or "total"
            cells["category"] = cells[dim] if dim else "total"
            cells["value"] = 100 * cells["r"]
            cells["standard_error"] = 100 * np.sqrt(cells["var"].fillna(0).clip(lower=0))
            cells["weighted_population"] = cells["w"] / cells["year"].map(n_quarters)
            out.append(cells)
    return out


def aggregate(path: Path) -> pd.DataFrame:
    """One row per indicator x year x geo x breakdown x category (no disclosure control)."""
    df = pd.read_parquet(path)
    _check(df)
    df = _bands(df)
    df["ww"] = df["weight"] ** 2
    n_quarters = df.groupby("year")["quarter"].nunique()
    psus = df.groupby(["year", "strata"])["psu"].nunique().rename("n_h")
    indicators = {
        "employment_rate_20_64": (df["age"].between(20, 64), df["ilo_status"] == 1),
        "unemployment_rate": (
            df["age"].between(15, 74) & df["ilo_status"].isin([1, 2]),
            df["ilo_status"] == 2,
        ),
    }
    frames = []
    for indicator_id, (den, num) in indicators.items():
        sub = df[den].copy()
        sub["wy"] = np.where(num[den], sub["weight"], 0.0)
        for cells in _indicator(sub, n_quarters, psus):
            frames.append(cells.assign(indicator_id=indicator_id))
    columns = [
        "indicator_id",
        "year",
        "geo",
        "breakdown",
        "category",
        "n_unweighted",
        "n_records",
        "weighted_population",
        "value",
        "standard_error",
    ]
    return pd.concat(frames)[columns].sort_values(columns[:5]).reset_index(drop=True)
