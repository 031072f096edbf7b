"""Faults of the machine: a full disk while a snapshot is written, a read-only warehouse
folder, a corrupted snapshot. Each ends in a clear error and the publication unchanged."""

from __future__ import annotations

import errno
import shutil
import subprocess
from pathlib import Path

import pytest

import pipelines.sources.store as snapshots
from tests.conftest import copy_sample, monitor_cmd
from tests.reliability.helpers import sha

pytestmark = pytest.mark.reliability


def mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    return done.returncode == 0


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def home(published_home, tmp_path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(published_home, target)
    return target


def every_file_changed(folder: Path) -> Path:
    """A delivery in which every dataset is a new vintage (one extra trailing blank line)."""
    for path in folder.iterdir():
        path.write_text(path.read_text() + "\n")
    return folder


def test_disk_full_while_writing_snapshots(home, tmp_path):
    published = home / "published" / "monitor.duckdb"
    before = sha(published)
    raw = home / "raw"
    kept = tmp_path / "raw-kept"
    shutil.move(raw, kept)
    used = sum(p.stat().st_size for p in kept.rglob("*") if p.is_file())
    # room for what is stored plus about half of a new delivery (the sample is ~190 kB)
    if not mount_tmpfs(raw, f"{(used + 100_000) // 1024 + 64}k"):
        shutil.move(kept, raw)
        pytest.skip(
            "cannot mount a size-limited tmpfs here; see test_snapshot_store_cleans_up_on_enospc"
        )
    try:
        shutil.copytree(kept, raw, dirs_exist_ok=True)
        folder = every_file_changed(copy_sample(tmp_path / "delivery"))
        result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "No space left on device" in output and "could not store snapshot" in output
        assert "NOT PUBLISHED" in result.stdout
        assert sha(published) == before
        assert not list(raw.glob("*/*/.incoming-*")), "half-written snapshot folders are removed"
    finally:
        unmount(raw)


def test_snapshot_store_cleans_up_on_enospc(tmp_path, monkeypatch):
    """The same fault injected where no file system can be mounted: nothing half-written stays."""

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(snapshots, "_write_synced", full)
    with pytest.raises(snapshots.SnapshotError, match="No space left on device"):
        snapshots.store_snapshot(
            tmp_path,
            source="eurostat",
            dataset="ilc_li41",
            data=b"x",
            filename="ilc_li41.tsv",
            mode="dir",
            origin="test",
        )
    assert not list(tmp_path.rglob(".incoming-*")) and not list(tmp_path.rglob("snapshot.json"))


def test_read_only_warehouse_folder(home, tmp_path):
    published = home / "published" / "monitor.duckdb"
    before = sha(published)
    frozen = tmp_path / "frozen"
    # room for a copy of the whole home (it grows with the marts), then made read-only
    home_bytes = sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
    if not mount_tmpfs(frozen, f"{home_bytes // 2**20 * 2 + 64}m"):
        pytest.skip("cannot mount a file system here to make read-only")
    try:
        shutil.copytree(home, frozen / "home")
        subprocess.run(["mount", "-o", "remount,ro", str(frozen)], check=True)
        result = monitor_cmd("refresh", home=frozen / "home")
        assert result.returncode != 0
        assert "Read-only file system" in result.stderr and "nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
        assert sha(frozen / "home" / "published" / "monitor.duckdb") == before
    finally:
        unmount(frozen)


def test_corrupted_snapshot_is_detected_before_use(home, tmp_path):
    published = home / "published" / "monitor.duckdb"
    before = sha(published)
    (stored,) = [p for p in (home / "raw" / "eurostat" / "ilc_li41").glob("*/SAMPLE_ilc_li41.tsv")]
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace(b"PC,BE2\t", b"PC,BE2\t9", 1))
    folder = copy_sample(tmp_path / "delivery")
    (folder / "SAMPLE_ilc_li41.tsv").unlink()  # so the refresh falls back on the stored vintage
    result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "is corrupted: sha256" in output and "ilc_li41" in output
    assert sha(published) == before
