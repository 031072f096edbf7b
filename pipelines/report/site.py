"""Write the site into a temporary folder beside the target, then swap it in as a whole.

Builds are serialised by a lock file beside the report; a build that was killed leaves
at most its temporary folder (removed by the next build once its process is gone) or,
between the two renames, `report.old` without `report` (renamed back by the next build).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path


def swap_in(out_dir: Path, files: dict[str, str | bytes]) -> None:
    """Readers see the old report or the new one, never a half-written mix."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(out_dir.parent / f".{out_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        recover(out_dir)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{out_dir.name}-{os.getpid()}-", dir=out_dir.parent)
        )
        try:
            for name, content in files.items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, encoding="utf-8")
            staging.chmod(0o755)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = out_dir.with_name(out_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)


def recover(out_dir: Path) -> list[str]:
    """Undo what a killed build left behind; returns what was done."""
    notes = []
    old = out_dir.with_name(out_dir.name + ".old")
    if old.is_dir() and not out_dir.exists():
        os.replace(old, out_dir)
        notes.append(f"restored {out_dir.name} from {old.name}")
    for stale in out_dir.parent.glob(f".{out_dir.name}-*"):
        pid = stale.name.split("-")[1]
        if stale.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
            notes.append(f"removed unfinished build {stale.name}")
    return notes


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
