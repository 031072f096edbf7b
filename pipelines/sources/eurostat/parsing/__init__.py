"""One parser for every Eurostat file format; the format is detected from the bytes.

parse_file(path) -> ParsedDataset      # raises ParseError naming file, line and column
parse_stream(path or bytes) -> ObservationStream   # the same, batch by batch (bounded memory)

Every format gives the same observations: flags, the confidentiality status in a column of its
own (`conf_status`, a confidential cell has no value), and zero rows (with a NO_DATA warning)
for an answer that matches no data. A stream settles confidentiality batch by batch
(`settle_confidentiality`), so its batches read the same as the whole file.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.sources.eurostat.parsing import data_explorer_csv, eurostat_tsv, jsonstat, sdmx_csv
from pipelines.sources.eurostat.parsing.observations import (
    CONF_STATUS_MEANINGS,
    CONFIDENTIAL_CODES,
    FLAG_MEANINGS,
    KNOWN_FLAGS,
    NO_DATA,
    ObservationStream,
    ParsedDataset,
    ParseError,
    normalise_period,
)
from pipelines.sources.eurostat.parsing.rawbytes import TextStream, first_line, require_content
from pipelines.sources.files import code_from_name

__all__ = [
    "CONFIDENTIAL_CODES",
    "CONF_STATUS_MEANINGS",
    "FLAG_MEANINGS",
    "KNOWN_FLAGS",
    "NO_DATA",
    "ObservationStream",
    "ParseError",
    "ParsedDataset",
    "dataset_code_from_name",
    "detect_format",
    "normalise_period",
    "parse_bytes",
    "parse_file",
    "parse_stream",
]


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
    return parse_stream(data, source, dataset).collect()


def parse_stream(
    origin: bytes | Path, source: str, dataset: str | None = None
) -> ObservationStream:
    """The observations of raw bytes or of a file (possibly gzip-compressed), batch by batch.

    A Eurostat TSV is read, inflated and parsed a batch of lines at a time, so its memory
    stays bounded whatever the file's size; other formats are parsed whole, as one batch.
    Errors are ParseErrors naming file, line and column, raised while the batches are read."""
    text = TextStream(origin, source)
    head = text.lines(1 << 16)
    text.unread(head)
    header = first_line(head)
    if header.strip() and detect_format(header.encode() + b"\n") == "eurostat-tsv":
        observations = eurostat_tsv.stream(text, source)
        observations.dataset = dataset
        return observations
    data = text.read_all()
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
    parsed = parser(data, source)  # its confidentiality is settled as the stream is read
    parsed.dataset = parsed.dataset or dataset
    return ObservationStream.of(parsed)


def parse_file(path: str | Path, dataset: str | None = None) -> ParsedDataset:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), f"cannot read file ({exc.strerror})") from exc
    return parse_bytes(data, str(path), dataset or dataset_code_from_name(path.name))


def dataset_code_from_name(name: str) -> str:
    """`SAMPLE_trng_lfse_04.tsv.gz` -> `trng_lfse_04`; `une_rt_a.sdmx.csv` -> `une_rt_a` (the
    rule of every source: pipelines.sources.files)."""
    return code_from_name(name)
