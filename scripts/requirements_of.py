"""Print the requirements of one optional-dependency group of pyproject.toml, one per line
(`make install` installs the `dbt` group into the dbt environment, .venv-dbt)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path


def requirements_of(group: str, pyproject: Path) -> list[str]:
    extras = tomllib.loads(pyproject.read_text())["project"]["optional-dependencies"]
    if group not in extras:
        raise SystemExit(f"error: pyproject.toml has no optional-dependency group {group!r}")
    return list(extras[group])


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    print("\n".join(requirements_of(sys.argv[1], root / "pyproject.toml")))
