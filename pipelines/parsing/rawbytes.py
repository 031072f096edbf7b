"""Turn raw file bytes into checked, decompressed bytes: gzip, empty files, encodings."""

from __future__ import annotations

import gzip
import zlib

from pipelines.parsing.observations import ParseError

GZIP_MAGIC = b"\x1f\x8b"


def decompress(data: bytes, source: str) -> bytes:
    """Return `data` gunzipped when it is gzip, as is otherwise; truncation is an error."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        line, column = _end_of_partial(data)
        raise ParseError(
            source,
            f"gzip stream is truncated or corrupt ({exc}); the decompressed text stops here",
            line,
            column,
        ) from exc


def _end_of_partial(data: bytes) -> tuple[int, str]:
    """Line and column (of the decompressed text) where a broken gzip stream stops."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        partial = inflater.decompress(data)
    except zlib.error:
        partial = b""
    line = partial.count(b"\n") + 1
    return line, str(len(partial) - (partial.rfind(b"\n") + 1) + 1)


def strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def check_utf8(data: bytes, source: str) -> None:
    """Raise ParseError naming line and column of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            source,
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); Eurostat TSV, SDMX-CSV and JSON-stat "
            "are UTF-8",
            line,
            str(col),
        ) from exc


def first_line(data: bytes) -> str:
    """The header line, decoded leniently (used only for format detection and messages)."""
    end = data.find(b"\n")
    head = data if end < 0 else data[:end]
    return head.rstrip(b"\r").decode("utf-8", errors="replace")


def require_content(data: bytes, source: str) -> None:
    if not data or data.isspace():  # as `not data.strip()`, without copying a large file
        raise ParseError(source, "file is empty", 1, "1")


def locate(data: bytes, *keys: str) -> tuple[int | None, int | None]:
    """Line and column of `"key1"`, then of `"key2"` after it, ...: for errors in JSON."""
    at = 0
    for key in keys:
        found = data.find(f'"{key}"'.encode(), at)
        if found < 0:
            return None, None
        at = found
    return data.count(b"\n", 0, at) + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1
