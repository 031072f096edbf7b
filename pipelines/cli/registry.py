"""`monitor registry check|docs`: validate the registry, or regenerate docs/indicators.md,
docs/deliveries.md and the delivery templates in docs/templates/."""

from __future__ import annotations

import sys

from pipelines.settings import REPO_ROOT

DOCS_FILE = REPO_ROOT / "docs" / "indicators.md"
DELIVERIES_DOC = REPO_ROOT / "docs" / "deliveries.md"
TEMPLATES_DIR = REPO_ROOT / "docs" / "templates"


def run(args) -> int:
    from pipelines.registry import RegistryError, load_registry

    try:
        reg = load_registry(args.folder)
    except RegistryError as exc:
        print(f"registry error: {exc}", file=sys.stderr)
        return 2
    if args.action == "docs":
        from pipelines.registry.docs import render

        DOCS_FILE.write_text(render(reg), encoding="utf-8")
        print(f"wrote {DOCS_FILE} ({len(reg.indicators)} indicators, {len(reg.targets)} targets)")
        from pipelines.registry.templates import render_docs, write_templates

        DELIVERIES_DOC.write_text(render_docs(reg.deliveries), encoding="utf-8")
        written = write_templates(reg.deliveries, TEMPLATES_DIR)
        print(f"wrote {DELIVERIES_DOC} and {len(written)} templates in {TEMPLATES_DIR}")
        return 0
    domains: dict[str, int] = {}
    for ind in reg.indicators.values():
        domains[ind["domain"]] = domains.get(ind["domain"], 0) + 1
    print(
        f"registry OK: {len(reg.indicators)} indicators "
        f"({', '.join(f'{d} {n}' for d, n in sorted(domains.items()))}), "
        f"{len(reg.targets)} targets, {len(reg.datasets)} datasets, {len(reg.geographies)} geographies"
    )
    return 0
