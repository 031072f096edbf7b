"""Loading the registry: every YAML file checked against its JSON Schema, indexed, the
deliveries joined to the datasets, then the cross-file checks (`checks.py`). Parsed once per
process while no file changed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from pipelines.registry import schema_stamp
from pipelines.registry.checks import check_registry
from pipelines.registry.deliveries import (
    YAML_LOADER,
    Delivery,
    DeliverySpecError,
    load_deliveries,
)
from pipelines.registry.model import Registry, RegistryError
from pipelines.registry.vocabulary import index_vocabulary
from pipelines.settings import REGISTRY_SCHEMA_DIR, registry_dir

FILES = ("datasets", "indicators", "targets", "geographies", "codelists", "vocabulary")


def load_registry(folder: Path | None = None) -> Registry:
    """The registry, parsed and checked; parsed once per process while none of its files
    (nor a schema) changed: definitions load it several times. Each caller gets a copy."""
    folder = Path(folder or registry_dir())
    key = (str(folder), _fingerprint(folder))
    if key not in _LOADED:
        _LOADED.clear()
        content = schema_stamp.digest(_files(folder))
        validate = not schema_stamp.passed(content)
        _LOADED[key] = _parse_registry(folder, validate)
        if validate:
            schema_stamp.remember(content)
    return copy.deepcopy(_LOADED[key])


_LOADED: dict[tuple, Registry] = {}


def _files(folder: Path) -> list[Path]:
    """Every file a registry is read from or checked against."""
    paths = [folder / f"{name}.yaml" for name in FILES]
    paths += sorted((folder / "deliveries").glob("*.yaml"))
    return paths + sorted(REGISTRY_SCHEMA_DIR.glob("*.schema.json"))


def _fingerprint(folder: Path) -> tuple:
    out = []
    for path in _files(folder):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue  # _load_file says which registry file is missing
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _parse_registry(folder: Path, validate: bool = True) -> Registry:
    """`validate`: check each file against its JSON Schema (skipped when these very bytes
    passed before, `schema_stamp.py`)."""
    docs = {name: _load_file(folder, name, validate) for name in FILES}
    datasets = _index(docs["datasets"]["datasets"], "code", "datasets.yaml")
    indicators = _index(docs["indicators"]["indicators"], "id", "indicators.yaml")
    targets = _index(docs["targets"]["targets"], "id", "targets.yaml")
    geographies = _index(docs["geographies"]["geographies"], "code", "geographies.yaml")
    deliveries = _deliveries(folder, datasets, docs["codelists"]["codelists"], validate)
    registry = Registry(
        datasets=datasets,
        indicators=indicators,
        targets=targets,
        geographies=geographies,
        geo_sets=docs["geographies"]["geo_sets"],
        codelists=docs["codelists"]["codelists"],
        folder=folder,
        deliveries=deliveries,
        vocabulary=index_vocabulary(docs["vocabulary"]),
    )
    check_registry(registry)
    return registry


def _load_file(folder: Path, name: str, validate: bool = True) -> dict[str, Any]:
    """A registry file, parsed and checked against its schema."""
    path = folder / f"{name}.yaml"
    schema_path = REGISTRY_SCHEMA_DIR / f"{name}.schema.json"
    if not path.is_file():
        raise RegistryError(f"{path}: registry file is missing")
    return _parse_file(path, schema_path, validate)


def _parse_file(path: Path, schema_path: Path, validate: bool = True) -> dict[str, Any]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML ({exc})") from exc
    if not validate:
        return doc
    import jsonschema

    schema = json.loads(schema_path.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = _entry_name(doc, list(err.absolute_path))
        raise RegistryError(f"{path.name}: {where}: {err.message}")
    return doc


def _deliveries(
    folder: Path, datasets: dict, codelists: dict, validate: bool = True
) -> dict[str, Delivery]:
    """Spreadsheet deliveries (registry/deliveries/*.yaml) join the datasets, and the codes of
    their observation dimensions join the code lists, so indicators select from them alike."""
    try:
        deliveries = load_deliveries(folder, validate)
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
