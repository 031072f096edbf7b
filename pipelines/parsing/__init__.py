"""One parser for every Eurostat file format; the format is detected from the bytes.

parse_file(path) -> ParsedDataset      # raises ParseError naming file, line and column

Every format gives the same observations: flags, the confidentiality status in a column of its
own (`conf_status`, a confidential cell has no value), and zero rows (with a NO_DATA warning)
for an answer that matches no data.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.parsing import data_explorer_csv, eurostat_tsv, jsonstat, sdmx_csv
from pipelines.parsing.observations import (
    CONF_STATUS_MEANINGS,
    CONFIDENTIAL_CODES,
    FLAG_MEANINGS,
    KNOWN_FLAGS,
    NO_DATA,
    ParsedDataset,
    ParseError,
    normalise_period,
    settle_confidentiality,
)
from pipelines.parsing.rawbytes import decompress, first_line, require_content, strip_bom

__all__ = [
    "CONFIDENTIAL_CODES",
    "CONF_STATUS_MEANINGS",
    "FLAG_MEANINGS",
    "KNOWN_FLAGS",
    "NO_DATA",
    "ParseError",
    "ParsedDataset",
    "dataset_code_from_name",
    "detect_format",
    "normalise_period",
    "parse_bytes",
    "parse_file",
]

_EXTENSIONS = (".tsv", ".csv", ".json", ".txt")


def detect_format(data: bytes) -> str | None:
    """Name the format of decompressed bytes, or None when it is not one we read."""
    if jsonstat.looks_like(data):
        return "json-stat"
    header = first_line(data)
    if eurostat_tsv.looks_like(header) or "\t" in header:
        return "eurostat-tsv"  # a tab-separated header that is not Eurostat's gets a precise error
    if sdmx_csv.looks_like(header):
        return "sdmx-csv"
    if data_explorer_csv.looks_like(header):
        return "data-explorer-csv"
    return None


def parse_bytes(data: bytes, source: str, dataset: str | None = None) -> ParsedDataset:
    """Parse raw (possibly gzip-compressed) bytes of any supported Eurostat format."""
    data = strip_bom(decompress(data, source))
    require_content(data, source)
    fmt = detect_format(data)
    parser = {
        "json-stat": jsonstat.parse,
        "eurostat-tsv": eurostat_tsv.parse,
        "sdmx-csv": sdmx_csv.parse,
        "data-explorer-csv": data_explorer_csv.parse,
    }.get(fmt or "")
    if parser is None:
        head = first_line(data)[:80]
        raise ParseError(
            source,
            f"unrecognised format (first line {head!r}); expected Eurostat TSV, "
            "SDMX-CSV, JSON-stat 2.0 or a Data Explorer CSV",
            1,
        )
    parsed = parser(data, source)
    parsed.frame, notes = settle_confidentiality(parsed.frame)
    parsed.warnings += notes
    parsed.dataset = parsed.dataset or dataset
    return parsed


def parse_file(path: str | Path, dataset: str | None = None) -> ParsedDataset:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), f"cannot read file ({exc.strerror})") from exc
    return parse_bytes(data, str(path), dataset or dataset_code_from_name(path.name))


def dataset_code_from_name(name: str) -> str:
    """`SAMPLE_trng_lfse_04.tsv.gz` -> `trng_lfse_04`; `une_rt_a.sdmx.csv` -> `une_rt_a`."""
    stem = name
    if stem.endswith(".gz"):
        stem = stem[:-3]
    for ext in _EXTENSIONS:
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
    stem = stem.split(".", 1)[0]
    if stem.upper().startswith("SAMPLE_"):
        stem = stem[len("SAMPLE_") :]
    return stem.lower()
