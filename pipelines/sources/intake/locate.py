"""Where a delivery file is found: the bundled SAMPLE (`--source sample`), the `dir:PATH`
folder, then the intake folder (`--source dir:` or `live`), else the kept snapshot (`asof:DATE`: the snapshot of that
date only).

A file is named by its delivery code: `<code>.xlsx` or `<code>.csv` (`SAMPLE_<code>.*` for
sample files), exactly as Eurostat files are found by their dataset code."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import SAMPLE_DIR, config, paths
from pipelines.sources.base import SourceSpec
from pipelines.sources.files import is_sample_name
from pipelines.sources.intake.problems import DeliveryError, Problem
from pipelines.sources.intake.safety import name_problems

SAMPLE_FOLDER = SAMPLE_DIR / "intake"


def intake_folder() -> Path:
    """`MONITOR_INTAKE_DIR`, else `intake.folder` in config/monitor.yaml (relative to
    MONITOR_HOME), else `$MONITOR_HOME/intake`."""
    env = os.environ.get("MONITOR_INTAKE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    configured = config().get("intake", {}).get("folder") or "intake"
    return (paths().home / configured).resolve()


@dataclass(frozen=True)
class Found:
    path: Path
    origin_kind: str  # "sample", "dir" or "intake"

    @property
    def is_sample(self) -> bool:
        return is_sample_name(self.path.name)


def folders(spec: SourceSpec) -> list[tuple[Path, str]]:
    """The folders searched for this run, in order."""
    if spec.kind == "sample":
        return [(SAMPLE_FOLDER, "sample")]
    if spec.kind == "asof":
        return []  # a rebuild from stored snapshots reads no folder
    out = [(spec.path, "dir")] if spec.kind == "dir" and spec.path else []
    return [*out, (intake_folder(), "intake")]


def find(code: str, folder: Path, origin_kind: str) -> Found | None:
    """The one file for `code` in `folder`; any file that looks meant for it but is unsafe,
    of a refused type or ambiguous refuses the delivery."""
    if not folder.is_dir():
        return None
    problems: list[Problem] = []
    found: list[Path] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        hidden = name.startswith("~$") or (name.startswith(".") and not name.startswith(".."))
        if hidden or code not in name.lower():
            continue  # hidden files and Excel's lock files are not deliveries; '..' names are
        stem = name.rsplit(".", 1)[0].lower()
        unsafe = name_problems(name)
        if unsafe:
            problems += unsafe
            continue
        if stem not in (code, f"sample_{code}"):
            problems.append(Problem(name, f"name the file {code}.xlsx or {code}.csv"))
        elif path.is_symlink() or not path.is_file():
            problems.append(Problem(name, "not a regular file (symbolic links are refused)"))
        else:
            found.append(path)
    if len(found) > 1:
        problems.append(
            Problem(
                str(folder),
                f"several files for {code}: {', '.join(p.name for p in found)}; keep one",
            )
        )
    if problems:
        raise DeliveryError(code, problems)
    return Found(found[0], origin_kind) if found else None
