"""The registry loads, covers the framework, and refuses broken entries with a message that
names the file and the entry; docs/indicators.md is what the registry generates."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from pipelines.registry import RegistryError, load_registry
from pipelines.registry.docs import render
from pipelines.settings import REPO_ROOT

REGISTRY = REPO_ROOT / "registry"


def test_registry_covers_the_framework():
    reg = load_registry(REGISTRY)
    domains = {i["domain"] for i in reg.indicators.values()}
    assert len(reg.indicators) >= 25 and domains == {"arbeidsmarkt", "armoede", "opleiding"}
    frameworks = {t["framework"] for t in reg.targets.values()}
    assert {"EU 2030", "België 2030", "Vlaanderen 2030"} <= frameworks
    kinds = {t["kind"] for t in reg.targets.values()}
    assert kinds == {"level", "count_change", "direction", "requested"}
    # several targets per indicator coexist (EU 78%, Belgium 80%, Flanders 80%)
    employment = [t for t in reg.targets.values() if t["indicator"] == "employment_rate_20_64"]
    assert {t["value"] for t in employment} == {78, 80} and len(employment) == 3
    # two definitions of training participation are separate indicators
    training = {
        i["id"]: i["reference_period"]
        for i in reg.indicators.values()
        if i.get("concept") == "adult_learning"
    }
    assert len(set(training.values())) >= 2, training


def edited(tmp_path: Path, file: str, change: Callable[[dict], None]) -> Path:
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    path = folder / f"{file}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    doc.pop("_defaults", None)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def indicator(doc: dict, ind_id: str) -> dict:
    return next(i for i in doc["indicators"] if i["id"] == ind_id)


def target(doc: dict, tgt_id: str) -> dict:
    return next(t for t in doc["targets"] if t["id"] == tgt_id)


BROKEN = {
    "unknown_dataset": (
        "indicators",
        lambda d: indicator(d, "arop")["source"].update(dataset="ilc_li99"),
        "indicator 'arop': unknown dataset 'ilc_li99'",
    ),
    "unknown_dimension_code": (
        "indicators",
        lambda d: indicator(d, "employment_rate_20_64")["source"]["filters"].update(age="Y20_64"),
        "unknown age code 'Y20_64'",
    ),
    "unknown_breakdown_code": (
        "indicators",
        lambda d: indicator(d, "employment_rate_20_64")["breakdowns"][0]["categories"].update(
            X={"nl": "x", "en": "x"}
        ),
        "unknown sex code 'X'",
    ),
    "unknown_dimension": (
        "indicators",
        lambda d: indicator(d, "arop")["source"]["filters"].update(colour="red"),
        "filter dimension 'colour' is not a dimension of ilc_li41",
    ),
    "target_without_framework": (
        "targets",
        lambda d: target(d, "eu2030_employment_78").pop("framework"),
        "targets[0] (eu2030_employment_78): 'framework' is a required property",
    ),
    "target_of_unknown_indicator": (
        "targets",
        lambda d: target(d, "eu2030_employment_78").update(indicator="employment_rate_99"),
        "target 'eu2030_employment_78': unknown indicator 'employment_rate_99'",
    ),
    "two_definitions_in_one_series": (
        "indicators",
        lambda d: indicator(d, "adult_learning_4w").update(survey="AES"),
        "two definitions cannot share one series",
    ),
    "same_series_twice": (
        "indicators",
        lambda d: indicator(d, "employment_rate_55_64")["source"]["filters"].update(age="Y20-64"),
        "its headline series is the same as indicator 'employment_rate_20_64'",
    ),
    "duplicate_id": (
        "indicators",
        lambda d: d["indicators"].append(dict(indicator(d, "arop"))),
        "id 'arop' appears twice",
    ),
    "bad_plausible_range": (
        "indicators",
        lambda d: indicator(d, "arop").update(plausible_range=[50, 10]),
        "indicator 'arop': plausible_range must be [low, high]",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_registry_is_refused_naming_the_entry(case, tmp_path):
    file, change, message = BROKEN[case]
    folder = edited(tmp_path, file, change)
    with pytest.raises(RegistryError) as caught:
        load_registry(folder)
    assert message in str(caught.value)


def test_schema_checks_are_remembered_by_content_only(tmp_path, monkeypatch):
    """A registry that passed its JSON Schemas leaves a stamp of its bytes; an edit that breaks
    a schema is still refused after that (other bytes, no stamp), and leaves no stamp. A
    stamp of exactly these bytes is what skips the check (here forged, to show it is used)."""
    from pipelines.registry import schema_stamp
    from pipelines.registry.load import _files

    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    stamps = tmp_path / "cache" / "registry-schema-passed"
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    load_registry(folder)
    assert [p.name for p in stamps.iterdir()] == [schema_stamp.digest(_files(folder))]

    path = folder / "targets.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    target(doc, "eu2030_employment_78")["colour"] = "red"  # an unknown property: schema only
    doc.pop("_defaults", None)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RegistryError, match="'colour' was unexpected"):
        load_registry(folder)
    assert len(list(stamps.iterdir())) == 1

    schema_stamp.remember(schema_stamp.digest(_files(folder)))
    assert "eu2030_employment_78" in load_registry(folder).targets


def test_invalid_yaml_names_the_file(tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    (folder / "targets.yaml").write_text("targets: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"targets\.yaml: not valid YAML"):
        load_registry(folder)


def test_generated_indicator_docs_are_current():
    current = (REPO_ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert current == render(load_registry(REGISTRY)), "run `monitor registry docs`"
