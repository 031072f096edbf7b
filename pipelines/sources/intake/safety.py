"""Checks made before a delivery is opened: a safe file name, an allowed format, a size
limit, and for XLSX the zip directory (macros, external links, zip bombs). Nothing in a
file is ever executed; these checks refuse what could be."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import config
from pipelines.sources.intake.problems import Problem

ALLOWED = (".xlsx", ".csv")
REFUSED = {
    ".xlsm": "a macro-enabled workbook (.xlsm) is refused; save it as .xlsx without macros",
    ".xltm": "a macro-enabled template (.xltm) is refused; save it as .xlsx",
    ".xlsb": "a binary workbook (.xlsb) is refused; save it as .xlsx",
    ".xls": "an old Excel 97-2003 workbook (.xls) is refused; save it as .xlsx",
    ".ods": "an OpenDocument spreadsheet is refused; save it as .xlsx or .csv",
}
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled"


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_zip_entries: int

    @classmethod
    def from_config(cls) -> Limits:
        c = config().get("intake", {})
        return cls(
            max_file_bytes=int(c.get("max_file_mb", 20) * 1024 * 1024),
            max_uncompressed_bytes=int(c.get("max_uncompressed_mb", 100) * 1024 * 1024),
            max_compression_ratio=float(c.get("max_compression_ratio", 100)),
            max_zip_entries=int(c.get("max_zip_entries", 2000)),
        )


def name_problems(name: str) -> list[Problem]:
    """A delivery file name must be a plain name: no folders, no '..', no control characters."""
    if "/" in name or "\\" in name or ".." in name or "\x00" in name or not SAFE_NAME.match(name):
        return [
            Problem(
                repr(name),
                "unsafe file name (path separators, '..', hidden or unusual characters); "
                "name the file <code>.xlsx or <code>.csv",
            )
        ]
    suffix = Path(name).suffix.lower()
    if suffix in REFUSED:
        return [Problem(name, REFUSED[suffix])]
    if suffix not in ALLOWED:
        return [Problem(name, f"unsupported file type {suffix or '(none)'}; use .xlsx or .csv")]
    return []


def size_problems(name: str, size: int, limits: Limits) -> list[Problem]:
    if size > limits.max_file_bytes:
        return [
            Problem(
                name,
                f"file is {size / 1024 / 1024:.1f} MB, above the limit of "
                f"{limits.max_file_bytes / 1024 / 1024:.0f} MB (config/monitor.yaml intake.max_file_mb)",
            )
        ]
    if size == 0:
        return [Problem(name, "file is empty")]
    return []


def workbook_problems(name: str, data: bytes, limits: Limits) -> list[Problem]:
    """The zip directory of an XLSX, read without decompressing anything."""
    if not data.startswith(b"PK\x03\x04"):
        return [Problem(name, "not an XLSX workbook (no zip signature); save it as .xlsx")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            content_types = (
                archive.read("[Content_Types].xml")
                if "[Content_Types].xml" in archive.namelist()
                and archive.getinfo("[Content_Types].xml").file_size < 1024 * 1024
                else b""
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return [Problem(name, f"corrupt XLSX workbook: {exc}")]
    problems = []
    if len(infos) > limits.max_zip_entries:
        problems.append(
            Problem(name, f"workbook has {len(infos)} parts (limit {limits.max_zip_entries})")
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > limits.max_uncompressed_bytes:
        problems.append(
            Problem(
                name,
                f"workbook unpacks to {total / 1024 / 1024:.0f} MB, above the limit of "
                f"{limits.max_uncompressed_bytes / 1024 / 1024:.0f} MB (a zip bomb?); refused unopened",
            )
        )
    elif total / packed > limits.max_compression_ratio:
        problems.append(
            Problem(
                name,
                f"workbook compression ratio {total / packed:.0f}:1 is above "
                f"{limits.max_compression_ratio:.0f}:1 (a zip bomb?); refused unopened",
            )
        )
    names = [i.filename for i in infos]
    if any(Path(n).name.lower() == "vbaproject.bin" for n in names) or (
        MACRO_CONTENT_TYPE.encode() in content_types
    ):
        problems.append(Problem(name, "workbook contains macros (vbaProject.bin); refused"))
    if any(n.lower().startswith("xl/externallinks/") for n in names):
        problems.append(
            Problem(
                name,
                "workbook has external links to other files; paste values and remove the links",
            )
        )
    if any(n.startswith("/") or ".." in n.split("/") for n in names):
        problems.append(Problem(name, "workbook has parts with unsafe paths"))
    return problems


def csv_problems(name: str, data: bytes) -> list[Problem]:
    if b"\x00" in data[:65536]:
        return [Problem(name, "not a text CSV file (binary content)")]
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [
            Problem(
                name,
                f"not UTF-8 text (byte {exc.start}, line {line}); save the CSV as UTF-8",
                row=line,
            )
        ]
    return []
