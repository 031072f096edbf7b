"""The stages of pipelines/ import one way (docs/architecture.md, "Folders"): the ground floor
(`settings`, `warehouse/`, `registry/`) imports no stage, `sources/` only the ground floor,
`gate/` those and `sources/` (never the other way), `publish/` those below it, `report/` nothing of the pipeline; the Dagster
wiring and the command line sit on top. Every `import` counts, lazy ones inside functions
too, so a circle cannot hide behind a deferred import."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PIPELINES = REPO / "pipelines"

# what each folder (or top-level module) of pipelines/ may import besides itself
MAY_IMPORT: dict[str, set[str]] = {
    "settings": set(),
    "warehouse": {"settings"},
    "registry": {"settings"},
    "sources": {"settings", "registry", "warehouse"},
    "gate": {"settings", "registry", "warehouse", "sources"},
    "publish": {"settings", "registry", "warehouse", "sources", "gate"},
    "report": set(),
}
TOP = {"defs", "definitions", "definitions_distributed", "cli", "sample", "__init__"}


def imported_folders(path: Path) -> set[tuple[str, int]]:
    """(folder of pipelines/, line) of every `pipelines.<folder>` the module imports."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "pipelines":
                modules = [f"pipelines.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "pipelines" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def test_every_folder_of_pipelines_is_placed():
    folders = {p.stem if p.is_file() else p.name for p in PIPELINES.iterdir()}
    folders = {f for f in folders if not f.startswith((".", "__pycache__"))}
    assert folders <= set(MAY_IMPORT) | TOP, folders - set(MAY_IMPORT) - TOP


def test_stages_import_one_way():
    wrong = []
    for path in sorted(PIPELINES.rglob("*.py")):
        folder = path.relative_to(PIPELINES).parts[0].removesuffix(".py")
        if folder not in MAY_IMPORT:
            continue
        for target, line in sorted(imported_folders(path)):
            if target != folder and target not in MAY_IMPORT[folder]:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports pipelines.{target}")
    assert not wrong, "\n".join(wrong)
