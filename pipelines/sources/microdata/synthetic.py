"""A SYNTHETIC LFS-like person-quarter file for tests and benchmarks (never real people).

Persons are drawn in the five Flemish provinces (strata) and 300 municipalities (PSUs), take
part in 1-4 consecutive quarters (rotation) and get an ILO status from a logistic model with
effects of age, sex, education, country of birth and disability. Orders of magnitude follow
Flanders (employment rate 20-64 around 76%, unemployment around 4%); the numbers are invented.

    python -m pipelines.sources.microdata.synthetic --rows 10000000 --out /tmp/SYNTHETIC_lfs.parquet
"""

from __future__ import annotations

import argparse
from itertools import chain
from pathlib import Path

import numpy as np

PROVINCES = {  # NUTS-2 code: (population share, municipalities)
    "BE21": (0.28, 69),  # Antwerpen
    "BE22": (0.13, 42),  # Limburg
    "BE23": (0.23, 60),  # Oost-Vlaanderen
    "BE24": (0.17, 65),  # Vlaams-Brabant
    "BE25": (0.19, 64),  # West-Vlaanderen
}
QUARTERS_TAKEN = (0.15, 0.15, 0.20, 0.50)  # share of persons interviewed in 1, 2, 3, 4 quarters
POPULATION_15_PLUS = 5_600_000
SYNTHETIC_METADATA = {b"monitor.synthetic": b"true", b"monitor.generator": __name__.encode()}


def _age(rng: np.random.Generator, n: int) -> np.ndarray:
    ages = np.arange(15, 90)
    density = np.where(ages < 65, 1.0, np.maximum(0.05, 1.0 - (ages - 65) / 28))
    return rng.choice(ages, size=n, p=density / density.sum()).astype(np.int16)


def _isced(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    young = np.clip((age - 25) / 40, 0, 1)  # 0 at 25, 1 at 65+
    p_low = 0.12 + 0.25 * young
    p_high = np.where(age < 22, 0.05, 0.50 - 0.25 * young)
    p_low = np.where(age < 19, 0.85, p_low)
    u = rng.random(age.size)
    band = np.where(u < p_low, 0, np.where(u < 1 - p_high, 1, 2))
    detail = rng.integers(0, 4, age.size)
    code = np.choose(band, [1 + detail % 2, 3 + detail % 2, 5 + detail])
    return np.where(rng.random(age.size) < 0.01, -1, code).astype(np.int8)  # -1 = not stated


def _persons(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    codes = list(PROVINCES)
    shares = np.array([PROVINCES[c][0] for c in codes])
    province = rng.choice(len(codes), size=n, p=shares / shares.sum())
    municipality = (
        rng.integers(0, 1_000_000, n) % np.array([PROVINCES[c][1] for c in codes])[province]
    )
    age = _age(rng, n)
    isced = _isced(rng, age)
    female = rng.random(n) < 0.505
    cob = rng.choice(3, size=n, p=[0.82, 0.07, 0.11])
    disabled = rng.random(n) < 0.06 + 0.30 * np.clip((age - 20) / 45, 0, 1)
    disability_missing = rng.random(n) < 0.01
    logit = np.select(
        [age < 20, age < 25, age < 55, age < 60, age < 65],
        [-1.6, 0.5, 2.6, 1.6, 0.2],
        default=-3.2,
    )
    logit = logit - 0.35 * female
    logit = logit + np.select([isced < 0, isced <= 2, isced <= 4], [-0.3, -0.9, 0.0], default=0.8)
    logit = logit + np.choose(cob, [0.0, -0.2, -1.0]) - 1.3 * disabled
    p_employed = 1 / (1 + np.exp(-logit))
    return {
        "province": province,
        "municipality": municipality,
        "age": age,
        "isced": isced,
        "female": female,
        "cob": cob,
        "disabled": disabled,
        "disability_missing": disability_missing,
        "p_employed": p_employed,
        "base_weight": np.exp(rng.normal(0, 0.35, n)) * np.where(age < 30, 1.3, 1.0),
    }


def generate(
    rows: int,
    years: tuple[int, int] = (2019, 2023),
    seed: int = 20260101,
    batch_persons: int = 1_000_000,
):
    """Yield pyarrow record batches holding `rows` person-quarter records in all (schema in
    docs/microdata.md), drawn `batch_persons` persons at a time so that memory stays flat
    whatever the size. Person ids are unique across batches."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    n_quarters = (years[1] - years[0] + 1) * 4
    taken = np.array(QUARTERS_TAKEN)
    # every quarter gets the same expected number of records (rotation groups enter and leave
    # at every quarter), so the weights can be set batch by batch
    per_quarter = rows / n_quarters
    mean_k = taken @ np.arange(1, 5)
    needed = int(1.05 * rows * (n_quarters + mean_k - 1) / (n_quarters * mean_k)) + 1000
    batch_persons = min(batch_persons, needed)
    codes = list(PROVINCES)
    first_psu = np.cumsum([0] + [PROVINCES[c][1] for c in codes])[:-1]
    psu_labels = [f"{c}-{m:03d}" for c in codes for m in range(PROVINCES[c][1])]
    written, first_id = 0, 10_000_000
    while written < rows:
        p = _persons(rng, batch_persons)
        k = rng.choice(4, size=batch_persons, p=taken) + 1
        start = rng.integers(1 - k, n_quarters)  # rotation groups enter and leave every quarter
        person = np.repeat(np.arange(batch_persons), k)
        offset = (np.arange(person.size) - np.repeat(np.cumsum(k) - k, k)).astype(np.int32)
        q_index = start[person] + offset
        inside = (q_index >= 0) & (q_index < n_quarters)
        take = min(int(inside.sum()), rows - written)
        person, q_index = person[inside][:take], q_index[inside][:take]
        birthday = rng.integers(0, 4, batch_persons)  # the quarter of a person's birthday
        age = (p["age"][person] + (q_index - start[person] + birthday[person]) // 4).astype(
            np.int16
        )
        # a person keeps a status most quarters: a fresh draw in one quarter out of ten
        latent = np.where(
            rng.random(take) < 0.9, rng.random(batch_persons)[person], rng.random(take)
        )
        employed = latent < p["p_employed"][person]
        active_jobless = rng.random(take) < np.where((age >= 20) & (age < 65), 0.12, 0.04)
        ilo = np.where(employed, 1, np.where(active_jobless, 2, 3)).astype(np.int8)
        weight = p["base_weight"][person] * POPULATION_15_PLUS / per_quarter / 1.03
        province = p["province"][person]
        disability = np.where(p["disabled"][person], 1, 0).astype(np.int8)
        isced = p["isced"][person]
        yield pa.record_batch(
            {
                "person_id": pa.array(person.astype(np.int64) + first_id),
                "year": pa.array((years[0] + q_index // 4).astype(np.int16)),
                "quarter": pa.array((q_index % 4 + 1).astype(np.int8)),
                "weight": pa.array(weight.round(3)),
                "sex": _coded(np.where(p["female"][person], 1, 0), ["M", "F"]),
                "age": pa.array(age),
                "isced": pa.array(isced, mask=isced < 0),
                "country_of_birth": _coded(p["cob"][person], ["NAT", "EU", "NEU"]),
                "disability": _coded(disability, ["N", "Y"], mask=p["disability_missing"][person]),
                "region": _coded(province, codes),
                "ilo_status": pa.array(ilo),
                "strata": _coded(province, codes),
                "psu": _coded(first_psu[province] + p["municipality"][person], psu_labels),
            }
        )
        written += take
        first_id += batch_persons


def _coded(indices: np.ndarray, labels: list[str], mask: np.ndarray | None = None):
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32), mask=mask), pa.array(labels)
    )


def write(path: Path, rows: int, seed: int = 20260101) -> Path:
    """Write a synthetic file (Parquet, or CSV when `path` ends in .csv), batch by batch;
    returns the path."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.name.upper().startswith("SYNTHETIC_"):
        raise ValueError(f"{path.name}: synthetic microdata files must be named SYNTHETIC_*")
    path.parent.mkdir(parents=True, exist_ok=True)
    batches = generate(rows, seed=seed)
    first = next(batches)
    tmp = path.with_name(f".{path.name}.tmp")
    if path.suffix.lower() == ".csv":
        plain = _plain_schema(first.schema)
        with pacsv.CSVWriter(tmp, plain) as out:
            for batch in chain([first], batches):
                out.write_table(pa.Table.from_batches([batch]).cast(plain))
    else:
        schema = first.schema.with_metadata(SYNTHETIC_METADATA)
        with pq.ParquetWriter(tmp, schema) as out:
            for batch in chain([first], batches):
                out.write_table(pa.Table.from_batches([batch], schema), row_group_size=1_000_000)
    tmp.replace(path)
    return path


def _plain_schema(schema):
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
            for f in schema
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True, help="SYNTHETIC_*.parquet or .csv")
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args(argv)
    print(write(args.out, args.rows, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
