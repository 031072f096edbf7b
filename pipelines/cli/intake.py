"""`monitor intake check FILE...`: validate delivery files against their templates without
loading anything (every problem with file, sheet, row and column); exit 1 if any is refused."""

from __future__ import annotations

import sys
from pathlib import Path


def _code_for(name: str, codes: list[str]) -> str | None:
    stem = name.rsplit(".", 1)[0].lower()
    stem = stem[len("sample_") :] if stem.startswith("sample_") else stem
    return stem if stem in codes else None


def run(args) -> int:
    from pipelines.registry import RegistryError, load_registry
    from pipelines.sources.intake import DeliveryError
    from pipelines.sources.intake.source import check_file

    try:
        deliveries = load_registry().deliveries
    except RegistryError as exc:
        print(f"registry error: {exc}", file=sys.stderr)
        return 2
    refused = 0
    for name in args.files:
        path = Path(name)
        code = args.code or _code_for(path.name, list(deliveries))
        if code not in deliveries:
            print(f"{path.name}: no template for this name; expected one of "
                  f"{', '.join(f'{c}.xlsx/.csv' for c in deliveries)} (or pass --code)")  # fmt: skip
            refused += 1
            continue
        if not path.is_file():
            print(f"{path}: not a file")
            refused += 1
            continue
        try:
            _, frame = check_file(deliveries[code], path)
        except DeliveryError as exc:
            refused += 1
            print(f"{path.name}: REFUSED ({len(exc.problems)} problem(s)) against template {code}")
            for problem in exc.problems:
                print(f"  - {problem}")
            continue
        print(f"{path.name}: OK, {frame.height} rows match template {code}")
    return 1 if refused else 0
