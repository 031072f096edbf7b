"""The vocabulary (registry/vocabulary.yaml): a label missing in either language, a code the
registry uses without a label and a template whose languages disagree are refused by the
registry check; the codes the dbt marts emit all have labels."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipelines.registry import RegistryError, load_registry
from pipelines.settings import REPO_ROOT

REGISTRY = REPO_ROOT / "registry"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    return folder


def _edit_yaml(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    doc.pop("_defaults", None)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _entry(doc: dict, list_name: str, code: str) -> dict:
    return next(e for e in doc["lists"][list_name]["entries"] if e["code"] == code)


def _check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "registry", "check", "--folder", str(folder)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_registry_check_fails_on_a_missing_label(lang, tmp_path):
    folder = _copy(tmp_path)
    _edit_yaml(folder / "vocabulary.yaml", lambda d: _entry(d, "verdicts", "on_track").pop(lang))
    result = _check(folder)
    assert result.returncode == 2, result.stdout
    assert "vocabulary.yaml" in result.stderr and "verdicts" in result.stderr
    assert f"'{lang}' is a required property" in result.stderr
    assert _check(REGISTRY).returncode == 0


def test_an_empty_label_is_a_missing_label(tmp_path):
    folder = _copy(tmp_path)
    _edit_yaml(
        folder / "vocabulary.yaml",
        lambda d: _entry(d, "flags", "p").update(nl=""),
    )
    with pytest.raises(RegistryError, match="vocabulary.yaml: lists.flags.entries"):
        load_registry(folder)


CASES = {
    "unit": (
        "indicators.yaml",
        lambda d: next(i for i in d["indicators"] if i["id"] == "arop").update(unit="index"),
        "vocabulary.yaml",
        lambda d: d["lists"]["units"]["entries"].remove(_entry(d, "units", "index")),
        "indicator 'arop': 'index' has no Dutch and English label in vocabulary.yaml (add it to list 'units')",
    ),
    "reference_period": (
        "indicators.yaml",
        lambda d: next(i for i in d["indicators"] if i["id"] == "arop").update(
            reference_period="fiscal year"
        ),
        None,
        None,
        "indicator 'arop': 'fiscal year' has no Dutch and English label in vocabulary.yaml (add it to list 'reference_periods')",
    ),
    "framework": (
        "targets.yaml",
        lambda d: next(t for t in d["targets"] if t["id"] == "vl2030_employment_80").update(
            framework="Vlaanderen 2040"
        ),
        None,
        None,
        "target 'vl2030_employment_80': 'Vlaanderen 2040' has no Dutch and English label",
    ),
    "delivery_code": (
        "deliveries/training_instruments.yaml",
        lambda d: next(c for c in d["columns"] if c["name"] == "financing_mode")["codes"].update(
            voucher="paid by voucher"
        ),
        None,
        None,
        "deliveries/training_instruments.yaml: column 'financing_mode': 'voucher' has no Dutch and English label",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_code_without_label_is_refused(case, tmp_path):
    file, change, vocab_file, vocab_change, message = CASES[case]
    folder = _copy(tmp_path)
    _edit_yaml(folder / file, change)
    if vocab_file:
        _edit_yaml(folder / vocab_file, vocab_change)
    with pytest.raises(RegistryError) as caught:
        load_registry(folder)
    assert message in str(caught.value)


def test_template_fields_must_agree_between_languages(tmp_path):
    folder = _copy(tmp_path)
    _edit_yaml(
        folder / "vocabulary.yaml",
        lambda d: _entry(d, "progress_reasons", "measured_after_break").update(
            nl="trend gemeten vanaf {base_year_used}"
        ),
    )
    with pytest.raises(RegistryError, match="measured_after_break.*Dutch label fills"):
        load_registry(folder)


def test_duplicate_code_in_a_list_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _edit_yaml(
        folder / "vocabulary.yaml",
        lambda d: d["lists"]["domains"]["entries"].append(dict(_entry(d, "domains", "armoede"))),
    )
    with pytest.raises(RegistryError, match="list 'domains', code 'armoede' appears twice"):
        load_registry(folder)


# dbt columns whose accepted values are codes of a vocabulary list
EMITTED = {
    ("mart_target_progress", "verdict"): "verdicts",
    ("mart_benchmark", "scoreboard_class"): "benchmark_classes",
    ("mart_benchmark", "not_classified_reason_code"): "benchmark_reasons",
    ("mart_training_instruments", "financing_mode"): "financing_modes",
    ("mart_training_instruments", "data_label"): "data_labels",
    ("mart_training_financing", "financing_group"): "financing_groups",
    ("mart_microdata_gaps", "reliability"): "reliability",
    ("mart_microdata_gaps", "significance_method"): "significance_methods",
    ("mart_microdata_gaps", "gap_trend"): "gap_trends",
    ("mart_microdata_gaps", "trend_basis"): "trend_bases",
    ("mart_group_gaps", "reliability"): "reliability",
    ("mart_group_gaps", "gap_trend"): "gap_trends",
    ("mart_group_gaps", "data_label"): "data_labels",
    ("fct_indicator_values", "data_label"): "data_labels",
    ("dim_indicator", "domain"): "domains",
}


def _accepted_values() -> dict[tuple[str, str], list[str]]:
    out = {}
    for path in (REPO_ROOT / "dbt_project" / "models").rglob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models", []):
            for column in model.get("columns", []):
                for test in column.get("data_tests", []):
                    if isinstance(test, dict) and "accepted_values" in test:
                        values = test["accepted_values"]["arguments"]["values"]
                        out[(model["name"], column["name"])] = values
    return out


def test_every_code_the_marts_emit_has_a_label():
    vocabulary = load_registry(REGISTRY).vocabulary
    accepted = _accepted_values()
    for (model, column), list_name in EMITTED.items():
        assert (model, column) in accepted, (model, column)
        missing = set(accepted[(model, column)]) - set(vocabulary[list_name])
        assert not missing, (model, column, missing)
    sql = (REPO_ROOT / "dbt_project/models/marts/mart_target_progress.sql").read_text()
    block = sql.split("as reason,")[1].split("as reason_code")[0]
    emitted = set(re.findall(r"then '([a-z_]+)'", block))
    assert emitted and emitted <= set(vocabulary["progress_reasons"]), emitted


def test_every_flag_and_confidentiality_code_the_parsers_read_has_a_label():
    """The report shows a flag's and a confidential cell's label wherever the value stands."""
    from pipelines.sources.eurostat.parsing.observations import CONF_STATUS_MEANINGS, KNOWN_FLAGS

    vocabulary = load_registry(REGISTRY).vocabulary
    assert set(KNOWN_FLAGS) <= set(vocabulary["flags"])
    assert set(CONF_STATUS_MEANINGS) <= set(vocabulary["confidentiality"])
