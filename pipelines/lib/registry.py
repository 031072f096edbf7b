"""The indicator, target, dataset and geography registry: YAML files checked on load.

Every problem is a RegistryError naming the file and the entry, never a silent default.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.intake.spec import YAML_LOADER
from pipelines.lib.registry_vocabulary import check_vocabulary_usage, index_vocabulary
from pipelines.settings import REGISTRY_SCHEMA_DIR, registry_dir

FILES = ("datasets", "indicators", "targets", "geographies", "codelists", "vocabulary")


class RegistryError(ValueError):
    """A registry file or entry that cannot be used; the message names file and entry."""


# The warehouse tables `registry.*` the registry is written to (pipelines.lib.registry_tables).
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


@dataclass(frozen=True)
class Registry:
    datasets: dict[str, dict[str, Any]]
    indicators: dict[str, dict[str, Any]]
    targets: dict[str, dict[str, Any]]
    geographies: dict[str, dict[str, Any]]
    geo_sets: dict[str, list[str]]
    codelists: dict[str, dict[str, Any]]
    folder: Path
    deliveries: dict[str, Any] = field(default_factory=dict)  # code -> intake.Delivery
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


def load_registry(folder: Path | None = None) -> Registry:
    """The registry, parsed and checked; parsed once per process while none of its files
    (nor a schema) changed: definitions load it several times. Each caller gets a copy."""
    folder = Path(folder or registry_dir())
    key = (str(folder), _fingerprint(folder))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = _parse_registry(folder)
    return copy.deepcopy(_LOADED[key])


_LOADED: dict[tuple, Registry] = {}


def _fingerprint(folder: Path) -> tuple:
    paths = [folder / f"{name}.yaml" for name in FILES]
    paths += sorted((folder / "deliveries").glob("*.yaml"))
    paths += sorted(REGISTRY_SCHEMA_DIR.glob("*.schema.json"))
    out = []
    for path in paths:
        try:
            st = path.stat()
        except FileNotFoundError:
            continue  # _load_file says which registry file is missing
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _parse_registry(folder: Path) -> Registry:
    docs = {name: _load_file(folder, name) for name in FILES}
    datasets = _index(docs["datasets"]["datasets"], "code", "datasets.yaml")
    indicators = _index(docs["indicators"]["indicators"], "id", "indicators.yaml")
    targets = _index(docs["targets"]["targets"], "id", "targets.yaml")
    geographies = _index(docs["geographies"]["geographies"], "code", "geographies.yaml")
    deliveries = _deliveries(folder, datasets, docs["codelists"]["codelists"])
    registry = Registry(
        datasets=datasets,
        indicators=indicators,
        targets=targets,
        geographies=geographies,
        geo_sets=docs["geographies"]["geo_sets"],
        codelists=docs["codelists"]["codelists"],
        folder=folder,
        deliveries=deliveries,
        vocabulary=index_vocabulary(docs["vocabulary"], RegistryError),
    )
    _check(registry)
    check_vocabulary_usage(registry, RegistryError)
    return registry


def _load_file(folder: Path, name: str) -> dict[str, Any]:
    """A registry file, parsed and checked against its schema."""
    path = folder / f"{name}.yaml"
    schema_path = REGISTRY_SCHEMA_DIR / f"{name}.schema.json"
    if not path.is_file():
        raise RegistryError(f"{path}: registry file is missing")
    return _parse_file(path, schema_path)


def _parse_file(path: Path, schema_path: Path) -> dict[str, Any]:
    import jsonschema

    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML ({exc})") from exc
    schema = json.loads(schema_path.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = _entry_name(doc, list(err.absolute_path))
        raise RegistryError(f"{path.name}: {where}: {err.message}")
    return doc


def _deliveries(folder: Path, datasets: dict, codelists: dict) -> dict[str, Any]:
    """Spreadsheet deliveries (registry/deliveries/*.yaml) join the datasets, and the codes of
    their observation dimensions join the code lists, so indicators select from them alike."""
    from pipelines.lib.intake.spec import DeliverySpecError, load_deliveries

    try:
        deliveries = load_deliveries(folder)
    except DeliverySpecError as exc:
        raise RegistryError(str(exc)) from exc
    for code, delivery in deliveries.items():
        if code in datasets:
            raise RegistryError(f"deliveries/{code}.yaml: code {code!r} is also in datasets.yaml")
        datasets[code] = delivery.as_dataset()
        for dim, codes in delivery.codelists().items():
            known = codelists.setdefault(dim, {"complete": False, "codes": {}})
            known["codes"] = {**codes, **known["codes"]}
    return deliveries


def _entry_name(doc: Any, path: list[Any]) -> str:
    """'indicators[3] (id=arope) .unit' from a JSON path into the document."""
    if len(path) >= 2 and isinstance(path[1], int):
        entry = doc[path[0]][path[1]]
        key = entry.get("id") or entry.get("code") if isinstance(entry, dict) else None
        rest = ".".join(str(p) for p in path[2:])
        return f"{path[0]}[{path[1]}] ({key})" + (f" .{rest}" if rest else "")
    return ".".join(str(p) for p in path) or "document"


def _index(entries: list[dict[str, Any]], key: str, file: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry[key] in out:
            raise RegistryError(f"{file}: {key} {entry[key]!r} appears twice")
        out[entry[key]] = entry
    return out


def _check(reg: Registry) -> None:
    """Cross-file checks the JSON Schema cannot express."""
    for name, codes in reg.geo_sets.items():
        for code in codes:
            if code not in reg.geographies:
                raise RegistryError(
                    f"geographies.yaml: geo_set {name!r} lists unknown geography {code!r}"
                )
    seen_series: dict[tuple, str] = {}
    for ind_id, ind in reg.indicators.items():
        where = f"indicators.yaml: indicator {ind_id!r}"
        _check_indicator_source(reg, ind, where, seen_series)
        for item in ind["geographies"]:
            if item not in reg.geo_sets and item not in reg.geographies:
                raise RegistryError(f"{where}: unknown geography or geo_set {item!r}")
        _check_gaps(ind, where)
        lo, hi = ind["plausible_range"]
        if lo >= hi:
            raise RegistryError(
                f"{where}: plausible_range must be [low, high], got {ind['plausible_range']}"
            )
    for tgt_id, tgt in reg.targets.items():
        where = f"targets.yaml: target {tgt_id!r}"
        if tgt["indicator"] not in reg.indicators and tgt["kind"] != "requested":
            raise RegistryError(f"{where}: unknown indicator {tgt['indicator']!r}")
        for geo in tgt["assessed_for"]:
            if geo not in reg.geographies:
                raise RegistryError(f"{where}: unknown geography {geo!r} in assessed_for")
        ind = reg.indicators.get(tgt["indicator"])
        if ind and tgt.get("unit") and tgt["kind"] == "level" and tgt["unit"] != ind["unit"]:
            raise RegistryError(
                f"{where}: unit {tgt['unit']!r} differs from indicator unit {ind['unit']!r}"
            )


def _check_gaps(ind: dict, where: str) -> None:
    breakdowns = {b["id"]: b for b in ind.get("breakdowns", [])}
    for gap in ind.get("gaps", []):
        breakdown = breakdowns.get(gap["breakdown"])
        if breakdown is None:
            raise RegistryError(f"{where}: gap uses unknown breakdown {gap['breakdown']!r}")
        known = {*breakdown["categories"], "total"}
        for role in ("group", "reference"):
            if gap[role] not in known:
                raise RegistryError(
                    f"{where}: gap {role} {gap[role]!r} is not a category of breakdown "
                    f"{gap['breakdown']!r} ({', '.join(sorted(known))})"
                )


def _check_indicator_source(reg: Registry, ind: dict, where: str, seen: dict[tuple, str]) -> None:
    source = ind.get("source")
    if "derived" in ind:
        by = ind["derived"].get("by_breakdown")
        for item in ind["derived"]["inputs"]:
            if item["indicator"] not in reg.indicators:
                raise RegistryError(
                    f"{where}: derived input {item['indicator']!r} is not an indicator"
                )
            breakdowns = {b["id"] for b in reg.indicators[item["indicator"]].get("breakdowns", [])}
            if by and (by not in breakdowns or "category" in item):
                raise RegistryError(
                    f"{where}: by_breakdown {by!r} needs inputs with that breakdown and no category "
                    f"({item['indicator']!r} has: {', '.join(sorted(breakdowns)) or 'none'})"
                )
        return
    dataset = reg.datasets.get(source["dataset"])
    if dataset is None:
        raise RegistryError(
            f"{where}: unknown dataset {source['dataset']!r} (not in datasets.yaml)"
        )
    dims = dataset["dimensions"]
    if "geo" in source["filters"]:
        raise RegistryError(f"{where}: filters must not select geo; list geographies instead")
    for dim in source["filters"]:
        if dim not in dims:
            raise RegistryError(
                f"{where}: filter dimension {dim!r} is not a dimension of {dataset['code']} ({', '.join(dims)})"
            )
    for breakdown in ind.get("breakdowns", []):
        if breakdown["dimension"] not in dims:
            raise RegistryError(
                f"{where}: breakdown {breakdown['id']!r} uses unknown dimension {breakdown['dimension']!r}"
            )
    for series in reg.series(ind):
        for dim, code in series["filters"].items():
            _check_code(reg, dim, code, f"{where} ({series['breakdown']}={series['category']})")
    if dataset.get("survey") and ind["survey"] != dataset["survey"]:
        raise RegistryError(
            f"{where}: survey {ind['survey']!r} differs from dataset {dataset['code']} "
            f"({dataset['survey']!r}); two definitions cannot share one series"
        )
    headline = reg.series(ind)[0]
    key = (source["dataset"], tuple(sorted(headline["filters"].items())))
    other = seen.get(key)
    if other and other != ind["id"]:
        raise RegistryError(
            f"{where}: its headline series is the same as indicator {other!r} "
            f"({dict(key[1])}); one series is one indicator"
        )
    seen[key] = ind["id"]


def _check_code(reg: Registry, dim: str, code: str, where: str) -> None:
    """A selected code must be in the dimension's code list (codelists.yaml)."""
    codelist = reg.codelists.get(dim)
    if codelist is None:
        raise RegistryError(f"{where}: dimension {dim!r} has no code list in codelists.yaml")
    if code not in codelist["codes"]:
        raise RegistryError(
            f"{where}: unknown {dim} code {code!r} (codelists.yaml lists {', '.join(codelist['codes'])})"
        )
