"""Delivery templates (registry/deliveries/<code>.yaml), checked against
registry/schema/delivery.schema.json and for references between their own parts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.settings import REGISTRY_SCHEMA_DIR

FOLDER = "deliveries"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster
SAMPLE_LABELS = ("sample", "synthetic")


class DeliverySpecError(ValueError):
    """A delivery template that cannot be used; the message names file and field."""


@dataclass(frozen=True)
class Delivery:
    doc: dict[str, Any]
    path: Path

    @property
    def code(self) -> str:
        return self.doc["code"]

    @property
    def source(self) -> str:
        return self.doc["source"]

    @property
    def sheet(self) -> str:
        return self.doc["sheet"]

    @property
    def columns(self) -> list[dict[str, Any]]:
        return self.doc["columns"]

    @property
    def key(self) -> list[str]:
        return self.doc["key"]

    @property
    def observations(self) -> dict[str, Any]:
        return self.doc["observations"]

    def column(self, name: str) -> dict[str, Any]:
        return next(c for c in self.columns if c["name"] == name)

    def dimensions(self) -> list[str]:
        """Observation dimensions as the indicator registry sees them (`measure` first)."""
        return ["measure", *self.observations.get("dimensions", []), "geo"]

    def codelists(self) -> dict[str, dict[str, str]]:
        """Codes of every observation dimension except geo."""
        out = {
            "measure": {m: f"{self.code}.{col}" for m, col in self.observations["measures"].items()}
        }
        for dim in self.observations.get("dimensions", []):
            out[dim] = dict(self.column(dim)["codes"])
        return out

    def as_dataset(self) -> dict[str, Any]:
        """The delivery as an entry of the dataset registry."""
        keep = ("code", "source", "title", "frequency", "producer", "licence", "url", "survey")
        entry = {k: self.doc[k] for k in keep if k in self.doc}
        for k in ("income_reference", "freshness_days"):
            if k in self.doc:
                entry[k] = self.doc[k]
        return {**entry, "dimensions": self.dimensions(), "delivery": True}


def load_deliveries(registry_folder: Path, validate: bool = True) -> dict[str, Delivery]:
    """Every template in `<registry>/deliveries/`, by code (an absent folder holds none);
    `validate`: check each against delivery.schema.json (see schema_stamp.py)."""
    folder = Path(registry_folder) / FOLDER
    validator = _validator() if validate else None
    out: dict[str, Delivery] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        where = f"deliveries/{path.name}"
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            raise DeliverySpecError(f"{where}: not valid YAML ({exc})") from exc
        errors = validator and sorted(
            validator.iter_errors(doc), key=lambda e: list(e.absolute_path)
        )
        if errors:
            err = errors[0]
            field = ".".join(str(p) for p in err.absolute_path) or "document"
            raise DeliverySpecError(f"{where}: {field}: {err.message}")
        if doc["code"] != path.stem:
            raise DeliverySpecError(f"{where}: code {doc['code']!r} must equal the file name")
        if doc["code"] in out:
            raise DeliverySpecError(f"{where}: code {doc['code']!r} appears twice")
        _check(doc, where)
        out[doc["code"]] = Delivery(doc, path)
    return out


def _validator():
    import jsonschema

    schema = json.loads((REGISTRY_SCHEMA_DIR / "delivery.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def _check(doc: dict[str, Any], where: str) -> None:
    types = {}
    for col in doc["columns"]:
        if col["name"] in types:
            raise DeliverySpecError(f"{where}: column {col['name']!r} appears twice")
        types[col["name"]] = col["type"]
    if "data_label" not in types or "source_citation" not in types:
        raise DeliverySpecError(f"{where}: every template needs data_label and source_citation")

    def need(name: str, kinds: tuple[str, ...], role: str) -> None:
        if name not in types:
            raise DeliverySpecError(f"{where}: {role} names unknown column {name!r}")
        if types[name] not in kinds:
            raise DeliverySpecError(
                f"{where}: {role} column {name!r} must be {' or '.join(kinds)}, not {types[name]}"
            )

    for name in doc["key"]:
        need(name, ("code", "integer", "string"), "key")
    for col in doc["columns"]:
        if "required_if" in col:
            need(col["required_if"]["column"], tuple(types.values()), f"{col['name']}.required_if")
        if "equals" in col:
            need(col["equals"]["column"], ("integer",), f"{col['name']}.equals")
    obs = doc["observations"]
    need(obs["period"], ("integer",), "observations.period")
    if "geo_column" in obs:
        need(obs["geo_column"], ("code",), "observations.geo_column")
    for dim in obs.get("dimensions", []):
        need(dim, ("code",), "observations.dimensions")
        if dim in ("measure", "geo"):
            raise DeliverySpecError(f"{where}: observations.dimensions must not use {dim!r}")
    for measure, column in obs["measures"].items():
        need(column, ("integer", "number"), f"observations.measures.{measure}")
    for column in obs.get("flags", {}):
        need(column, ("boolean",), "observations.flags")
