"""The registry as Python sees it: indicators, targets, datasets, geographies, code lists,
deliveries and the vocabulary, each indexed by its code (loaded and checked by `load.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.registry.deliveries import Delivery


class RegistryError(ValueError):
    """A registry file or entry that cannot be used; the message names file and entry."""


# The warehouse tables `registry.*` the registry is written to (pipelines.registry.tables).
REGISTRY_TABLES = (
    "indicators",
    "indicator_series",
    "indicator_geographies",
    "series_breaks",
    "gaps",
    "derived_inputs",
    "targets",
    "geographies",
    "datasets",
    "settings",
    "vocabulary",
)

# The sections of config/monitor.yaml whose numbers `registry.settings` (dim_setting) publishes.
SETTING_SECTIONS = ("progress", "benchmark", "gaps", "disclosure")


def setting_rows(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Numeric settings flattened to `{"key": "progress.with_target.on_track", "value": 0.95}`
    rows (plain Python: the gate's completeness check reads them without Polars)."""
    rows: list[dict[str, Any]] = []

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else key, value)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            rows.append({"key": prefix, "value": float(node)})

    walk("", {k: settings[k] for k in SETTING_SECTIONS if k in settings})
    return rows


@dataclass(frozen=True)
class Registry:
    datasets: dict[str, dict[str, Any]]
    indicators: dict[str, dict[str, Any]]
    targets: dict[str, dict[str, Any]]
    geographies: dict[str, dict[str, Any]]
    geo_sets: dict[str, list[str]]
    codelists: dict[str, dict[str, Any]]
    folder: Path
    deliveries: dict[str, Delivery] = field(default_factory=dict)  # registry/deliveries/
    vocabulary: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # list -> code

    def indicator_geos(self, indicator: dict[str, Any]) -> list[str]:
        """The indicator's geographies with named sets (`headline`, `eu_members`) expanded."""
        out: list[str] = []
        for item in indicator["geographies"]:
            for code in self.geo_sets.get(item, [item]):
                if code not in out:
                    out.append(code)
        return out

    def dataset_geos(self, dataset: str) -> list[str]:
        """Every geography any indicator of `dataset` needs (the live fetch's server filter)."""
        out: list[str] = []
        for ind in self.indicators.values():
            if ind.get("source", {}).get("dataset") == dataset:
                out += [g for g in self.indicator_geos(ind) if g not in out]
        return out

    def series(self, indicator: dict[str, Any]) -> list[dict[str, Any]]:
        """Selection rows: the headline series and one per breakdown category."""
        source = indicator.get("source")
        if not source:
            return []
        rows = [
            {
                "breakdown": "total",
                "category": "total",
                "label_nl": "totaal",
                "label_en": "total",
                "filters": dict(source["filters"]),
            }
        ]
        for breakdown in indicator.get("breakdowns", []):
            for code, label in breakdown["categories"].items():
                filters = dict(source["filters"])
                filters[breakdown["dimension"]] = code
                rows.append(
                    {
                        "breakdown": breakdown["id"],
                        "category": code,
                        "label_nl": label["nl"],
                        "label_en": label["en"],
                        "filters": filters,
                    }
                )
        return rows
