"""Turn raw file bytes into checked, decompressed bytes: gzip, empty files, encodings."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO

from pipelines.sources.eurostat.parsing.observations import ParseError

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


def _open(path: Path) -> BinaryIO:
    """A file TextStream closes at the end of its text (`_close`), not by a `with`."""
    return open(path, "rb")  # noqa: SIM115


class TextStream:
    """The decompressed text of raw bytes or of a file, read piece by piece (a gzip stream,
    several members included, is inflated as it is read; a UTF-8 BOM at the start is dropped),
    so that a large file is never held whole. A broken gzip stream raises the ParseError
    `decompress` gives for the whole file (line and column where its text stops)."""

    _RAW_BLOCK = 1 << 20

    def __init__(self, origin: bytes | Path, source: str):
        self._origin, self._source = origin, source
        self._raw: BinaryIO = io.BytesIO(origin) if isinstance(origin, bytes) else _open(origin)
        self._inflate = None
        if self._raw.read(2) == GZIP_MAGIC:
            self._inflate = zlib.decompressobj(wbits=31)
        self._raw.seek(0)
        self._compressed = b""  # gzip input not inflated yet
        self._pending = b""  # text read ahead and given back (`unread`)
        self._started = False
        self._ended = False

    def read(self, size: int) -> bytes:
        """Up to `size` bytes of text; b"" at the end."""
        if self._pending:
            text, self._pending = self._pending[:size], self._pending[size:]
            return text
        text = b""
        while not text and not self._ended:
            text = self._next(size)
        if not self._started and text:
            self._started = True
            text = strip_bom(text)
        return text

    def unread(self, text: bytes) -> None:
        self._pending = text + self._pending

    def lines(self, size: int) -> bytes:
        """About `size` bytes of whole lines (at least one line; the last one may lack its
        line end); b"" at the end of the text."""
        carry = b""
        while True:
            block = self.read(size)
            if not block:
                return carry
            end = block.rfind(b"\n") + 1
            if end:
                view = memoryview(block)
                self.unread(bytes(view[end:]))
                return b"".join((carry, view[:end])) if carry else bytes(view[:end])
            carry += block

    def read_all(self) -> bytes:
        parts = []
        while part := self.read(self._RAW_BLOCK * 64):
            parts.append(part)
        return b"".join(parts)

    def _next(self, size: int) -> bytes:
        if self._inflate is None:
            text = self._raw.read(size)
            if not text:
                self._close()
            return text
        while True:
            if self._inflate.eof:  # another gzip member may follow (after NUL padding)
                pending = self._inflate.unused_data.lstrip(b"\0")
                while len(pending) < 2:
                    raw = self._raw.read(self._RAW_BLOCK)
                    if not raw:
                        if pending:
                            self._fail()
                        self._close()
                        return b""
                    pending = (pending + raw).lstrip(b"\0")
                if not pending.startswith(GZIP_MAGIC):
                    self._fail()
                self._inflate = zlib.decompressobj(wbits=31)
                self._compressed = pending
            if not self._compressed:
                self._compressed = self._raw.read(self._RAW_BLOCK)
                if not self._compressed:
                    self._fail()  # the text ends inside a gzip member
            try:
                text = self._inflate.decompress(self._compressed, size)
            except zlib.error:
                self._fail()
            self._compressed = self._inflate.unconsumed_tail
            if text:
                return text

    def _fail(self) -> None:
        data = self._origin if isinstance(self._origin, bytes) else Path(self._origin).read_bytes()
        self._close()
        decompress(data, self._source)  # raises the ParseError that names line and column
        raise ParseError(self._source, "gzip stream is corrupt")

    def _close(self) -> None:
        self._ended = True
        self._raw.close()
