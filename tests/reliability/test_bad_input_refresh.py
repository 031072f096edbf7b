"""Bad input through `monitor refresh`: a malformed registry file, a registry entry pointing
to a missing dataset, a dataset the source does not deliver, intake files with path-traversal
names, macros or a symlink. Each is refused with a message naming the problem, and the
publication and report stay byte-identical."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pipelines.settings import REPO_ROOT
from tests.conftest import copy_sample, monitor_cmd
from tests.reliability import figures
from tests.unit.test_registry import edited, indicator

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def _undelivered_dataset(doc: dict) -> None:
    """A second copy of a real dataset under a code no source file carries."""
    twin = dict(next(d for d in doc["datasets"] if d["code"] == "ilc_li41"), code="ilc_li99")
    doc["datasets"].append(twin)


# (registry file, edit of its YAML or the file's new text, what the refusal must say)
REGISTRY_CASES = {
    "malformed_yaml": ("targets", "targets: [\n  - id: x\n", "targets.yaml: not valid YAML"),
    "indicator_of_a_missing_dataset": (
        "indicators",
        lambda d: indicator(d, "arop")["source"].update(dataset="x_0"),
        "indicator 'arop': unknown dataset 'x_0'",
    ),
    "dataset_no_source_delivers": ("datasets", _undelivered_dataset, "ilc_li99"),
}


def _macro_workbook(folder: Path) -> None:
    (folder / "training_instruments.xlsm").write_bytes(
        (REPO_ROOT / "pipelines/sample/intake/SAMPLE_training_instruments.xlsx").read_bytes()
    )


INTAKE_CASES = {
    "path_traversal_name": (
        lambda f: (f / "..training_instruments.csv").write_text("instrument\n"),
        "unsafe file name",
    ),
    "backslash_traversal_name": (
        lambda f: (f / "..\\..\\vdab_tightness.csv").write_text("year\n"),
        "unsafe file name",
    ),
    "macro_enabled_workbook": (_macro_workbook, "macro-enabled workbook (.xlsm) is refused"),
    "symlink_to_a_system_file": (
        lambda f: (f / "statbel_poverty.csv").symlink_to("/etc/passwd"),
        "symbolic links are refused",
    ),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def home(published_home, tmp_path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(published_home, target)
    return target


def _refused(home: Path, args: list[str], expected: str, env: dict | None = None) -> None:
    published = home / "published" / "monitor.duckdb"
    report = home / "published" / "report" / "index.html"
    before = sha(published), sha(report)
    result = monitor_cmd("refresh", *args, home=home, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert expected in output, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert (sha(published), sha(report)) == before


@pytest.mark.parametrize("case", sorted(REGISTRY_CASES))
def test_a_broken_registry_is_refused_before_anything_runs(case, home, tmp_path):
    file, change, expected = REGISTRY_CASES[case]
    if isinstance(change, str):
        registry = tmp_path / "registry"
        shutil.copytree(REPO_ROOT / "registry", registry)
        (registry / f"{file}.yaml").write_text(change, encoding="utf-8")
    else:
        registry = edited(tmp_path, file, change)
    folder = copy_sample(tmp_path / "files")
    with figures.trial("bad inputs refused"):
        _refused(
            home, ["--source", f"dir:{folder}"], expected, {"MONITOR_REGISTRY_DIR": str(registry)}
        )


@pytest.mark.parametrize("case", sorted(INTAKE_CASES))
def test_an_unsafe_intake_file_is_refused(case, home, tmp_path):
    make, expected = INTAKE_CASES[case]
    folder = copy_sample(tmp_path / "files")
    make(folder)
    with figures.trial("bad inputs refused"):
        _refused(home, ["--source", f"dir:{folder}"], expected)
