"""A large old-bulk-format Eurostat TSV built from a real one, for benchmarks/parse_throughput.py.

    python -m benchmarks._eurostat_bulk SOURCE OUT MEGABYTES

Keeps the real file's header (`age,sex,geo\\time`, periods with their trailing blank) and its
data lines byte for byte (values with trailing flags such as `9.4 b`, `8.7 ` with its blank,
`: u`, `:`), only renaming the geography so that every series is new: each real series
`Y15-24,F,BE2` is written as `Y15-24,F,BE2_0001`, `Y15-24,F,BE2_0002`, ..., in Eurostat's
order (series keys ascending: `BE21_0001` before `BE2_0001`), as in every real file. As many
copies as needed to reach MEGABYTES (decimal); gzip sources are decompressed.
The file is written next to OUT and renamed into place, so a half-written file is never used.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import os
import sys
from pathlib import Path


def source_lines(source: Path) -> tuple[bytes, list[tuple[bytes, bytes, bytes]]]:
    """The header line and each data line as (codes before geo, geo, rest from the tab)."""
    data = source.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    data = data.removeprefix(b"\xef\xbb\xbf")
    header, _, body = data.partition(b"\n")
    first = header.split(b"\t", 1)[0]
    if not first.endswith(b"\\time"):
        raise SystemExit(f"{source}: not an old bulk TSV (header starts {first[:60]!r})")
    dims = first[: -len(b"\\time")].split(b",")
    if dims[-1] != b"geo":
        raise SystemExit(f"{source}: geo is not the last code of {first!r}")
    lines = []
    for line in body.split(b"\n"):
        if not line.strip():
            continue
        key, tab, rest = line.partition(b"\t")
        before, _, geo = key.rpartition(b",")
        lines.append((before, geo, tab + rest))
    return header, lines


def copies_for(header: bytes, lines: list[tuple[bytes, bytes, bytes]], megabytes: float) -> int:
    per_copy = sum(len(b) + 1 + len(g) + 5 + len(r) + 1 for b, g, r in lines)
    return max(1, math.ceil((megabytes * 1e6 - len(header) - 1) / per_copy))


def generate(source: Path, out: Path, megabytes: float) -> dict:
    header, lines = source_lines(source)
    copies = copies_for(header, lines, megabytes)
    if copies > 9999:
        raise SystemExit(f"{copies} copies needed; geography suffixes have 4 digits")
    suffixes = [b"_%04d" % k for k in range(1, copies + 1)]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + f".{os.getpid()}.partial")
    with partial.open("wb", buffering=8 << 20) as f:
        f.write(header + b"\n")
        # in Eurostat's order (series keys ascending, as Polars sorts them): the copies of
        # the series with the same other codes, sorted by their new geography code
        for before, group in itertools.groupby(lines, key=lambda line: line[0]):
            keyed = sorted((geo + s, rest) for _, geo, rest in group for s in suffixes)
            f.write(b"".join(before + b"," + key + rest + b"\n" for key, rest in keyed))
    partial.replace(out)
    doc = {
        "source": source.name,
        "bytes": out.stat().st_size,
        "copies": copies,
        "series": copies * len(lines),
        "periods": header.count(b"\t"),
    }
    out.with_name(out.name + ".json").write_text(json.dumps(doc))
    return doc


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    print(json.dumps(generate(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]))))
