"""The vocabulary (registry/vocabulary.yaml): a label missing in either language, a code the
registry uses without a label and a template whose languages disagree are refused by the
registry check; the dbt tests and gate suites take their closed lists from it."""

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
    ("mart_target_progress", "reason_code"): "progress_reasons",
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
    ("fct_indicator_values", "value_status"): "value_statuses",
    ("fct_indicator_values", "conf_status"): "confidentiality",
    ("dim_indicator", "domain"): "domains",
}


def _column_tests(kind: str) -> dict[tuple[str, str], dict]:
    """(model, column) -> the arguments of its `kind` data test, from every model yml."""
    out = {}
    for path in (REPO_ROOT / "dbt_project" / "models").rglob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models", []):
            for column in model.get("columns", []):
                for test in column.get("data_tests", []):
                    if isinstance(test, dict) and kind in test:
                        out[(model["name"], column["name"])] = test[kind]["arguments"]
    return out


def test_closed_lists_in_dbt_tests_come_from_the_vocabulary():
    """No dbt test holds its own copy of a closed list: every coded column is tested with
    `in_vocabulary` (dbt_project/macros/test_in_vocabulary.sql), naming a list that exists,
    and excluding only codes that list has."""
    vocabulary = load_registry(REGISTRY).vocabulary
    assert _column_tests("accepted_values") == {}
    tested = _column_tests("in_vocabulary")
    for (model, column), list_name in EMITTED.items():
        assert tested.get((model, column), {}).get("list_name") == list_name, (model, column)
    for where, args in tested.items():
        assert args["list_name"] in vocabulary, where
        assert set(args.get("without", [])) <= set(vocabulary[args["list_name"]]), where


def test_closed_lists_in_gate_suites_come_from_the_vocabulary():
    """A suite's value set on a coded column names its vocabulary list; the built suite holds
    exactly that list's codes (minus `without`), and a list the vocabulary lacks is an error."""
    import json

    from pipelines.gate.suites import build_suites

    reg = load_registry(REGISTRY)
    named = {}
    for path in (REPO_ROOT / "expectations" / "suites").glob("marts.*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for exp in doc["expectations"]:
            value_set = exp["kwargs"].get("value_set")
            if exp["kwargs"].get("column") in {c for _, c in EMITTED} and value_set is not None:
                assert isinstance(value_set, dict), (path.name, exp["meta"]["name"])
                named[exp["meta"]["name"]] = value_set
    assert len(named) >= 8
    built = {
        e["meta"]["name"]: e["kwargs"]["value_set"]
        for s in build_suites(reg, "models", {})
        for e in s.expectations
        if e["meta"]["name"] in named
    }
    for name, wanted in named.items():
        codes = [
            c for c in reg.vocabulary[wanted["vocabulary"]] if c not in wanted.get("without", [])
        ]
        assert built[name] == codes, name
    reg.vocabulary.pop("verdicts")
    with pytest.raises(ValueError, match="vocabulary list 'verdicts'"):
        build_suites(reg, "models", {})


def test_every_reason_code_the_progress_mart_emits_has_a_label():
    vocabulary = load_registry(REGISTRY).vocabulary
    sql = (REPO_ROOT / "dbt_project/models/marts/mart_target_progress.sql").read_text()
    block = sql.split("end as verdict,")[1].split("as reason_code")[0]
    emitted = set(re.findall(r"then '([a-z_]+)'", block))
    assert len(emitted) >= 10 and emitted <= set(vocabulary["progress_reasons"]), emitted


def test_every_flag_and_confidentiality_code_the_parsers_read_has_a_label():
    """The report shows a flag's and a confidential cell's label wherever the value stands."""
    from pipelines.sources.eurostat.parsing.observations import CONF_STATUS_MEANINGS, KNOWN_FLAGS

    vocabulary = load_registry(REGISTRY).vocabulary
    assert set(KNOWN_FLAGS) <= set(vocabulary["flags"])
    assert set(CONF_STATUS_MEANINGS) <= set(vocabulary["confidentiality"])
