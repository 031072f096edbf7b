"""The vocabulary (registry/vocabulary.yaml): every closed list with Dutch and English labels.

The schema makes `nl` and `en` required on every entry; here the cross-file checks: a code
appears once per list, a template names the same {fields} in both languages, and every code
the registry uses (units, domains, frameworks, reference periods, surveys, breakdowns, the
codes of delivery columns that name a list) has an entry.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.lib.registry import Registry

Vocabulary = dict[str, dict[str, dict[str, Any]]]  # list -> code -> entry
AGE_RANGE = re.compile(r"\d+-\d+|\d+\+")  # "20-64", "65+": written as years, no label needed


def index_vocabulary(doc: dict[str, Any], error: type[Exception]) -> Vocabulary:
    """The lists by name and code; a code twice in a list, or a template whose languages name
    different fields, is an error naming list and code."""
    out: Vocabulary = {}
    for name, body in doc["lists"].items():
        entries: dict[str, dict[str, Any]] = {}
        for entry in body["entries"]:
            where = f"vocabulary.yaml: list {name!r}, code {entry['code']!r}"
            if entry["code"] in entries:
                raise error(f"{where} appears twice")
            fields = {lang: _fields(entry[lang]) for lang in ("nl", "en")}
            if fields["nl"] != fields["en"]:
                raise error(
                    f"{where}: the Dutch label fills {sorted(fields['nl'])}, "
                    f"the English one {sorted(fields['en'])}"
                )
            entries[entry["code"]] = entry
        out[name] = entries
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def bilingual(value: str | dict[str, str] | None) -> tuple[str | None, str | None]:
    """(nl, en) of a registry text: a {nl, en} pair, or a plain string used in both."""
    if value is None:
        return None, None
    if isinstance(value, dict):
        return value["nl"], value["en"]
    return value, value


def check_vocabulary_usage(reg: Registry, error: type[Exception]) -> None:
    """Every code the registry uses has a label in the vocabulary, else an error naming the
    file, the entry and the list the label belongs in."""
    voc = reg.vocabulary
    for ind_id, ind in reg.indicators.items():
        where = f"indicators.yaml: indicator {ind_id!r}"
        _need(voc, "units", [ind["unit"]], where, error)
        _need(voc, "domains", [ind["domain"]], where, error)
        _need(voc, "directions", [ind["direction"]], where, error)
        _need(voc, "surveys", [ind["survey"]], where, error)
        _need(voc, "reference_periods", [ind["reference_period"]], where, error)
        _need(voc, "breakdowns", [b["id"] for b in ind.get("breakdowns", [])], where, error)
        if not AGE_RANGE.fullmatch(ind["age_band"]):
            _need(voc, "age_bands", [ind["age_band"]], where, error)
    for tgt_id, tgt in reg.targets.items():
        where = f"targets.yaml: target {tgt_id!r}"
        _need(voc, "frameworks", [tgt["framework"]], where, error)
        _need(voc, "target_kinds", [tgt["kind"]], where, error)
        _need(
            voc,
            "framework_levels",
            [tgt["applies_to"]] if tgt.get("applies_to") else [],
            where,
            error,
        )
        _need(voc, "units", [tgt["unit"]] if tgt.get("unit") else [], where, error)
    for code, dataset in reg.datasets.items():
        where = f"datasets.yaml: dataset {code!r}"
        _need(voc, "sources", [dataset["source"]], where, error)
        _need(voc, "surveys", [dataset["survey"]] if dataset.get("survey") else [], where, error)
        _need(voc, "income_reference", [dataset.get("income_reference", "same_year")], where, error)
    for code, delivery in reg.deliveries.items():
        for column in delivery.columns:
            lists = column.get("vocabulary", [])
            for name in [lists] if isinstance(lists, str) else lists:
                where = f"deliveries/{code}.yaml: column {column['name']!r}"
                if name not in voc:
                    raise error(f"{where}: unknown vocabulary list {name!r}")
                _need(voc, name, column["codes"], where, error)


def _need(voc: Vocabulary, name: str, codes: Iterable[str], where: str, error) -> None:
    known = voc.get(name)
    if known is None:
        raise error(f"vocabulary.yaml: list {name!r} is missing (needed by {where})")
    for code in codes:
        if code not in known:
            raise error(
                f"{where}: {code!r} has no Dutch and English label in vocabulary.yaml "
                f"(add it to list {name!r})"
            )
