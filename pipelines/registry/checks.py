"""Cross-file checks of the registry that its JSON Schemas cannot express: references between
files, code lists, breakdowns and gaps, one series per indicator, and a Dutch and English label
in the vocabulary for every code the registry uses. Each problem is a RegistryError naming the
file and the entry."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.registry.model import Registry, RegistryError
from pipelines.registry.vocabulary import AGE_RANGE, Vocabulary


def check_registry(reg: Registry) -> None:
    """Cross-file checks the JSON Schema cannot express; the vocabulary's labels last."""
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

    check_vocabulary_usage(reg)


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


def check_vocabulary_usage(reg: Registry) -> None:
    """Every code the registry uses has a label in the vocabulary, else an error naming the
    file, the entry and the list the label belongs in."""
    voc = reg.vocabulary
    for ind_id, ind in reg.indicators.items():
        where = f"indicators.yaml: indicator {ind_id!r}"
        _need(voc, "units", [ind["unit"]], where)
        _need(voc, "domains", [ind["domain"]], where)
        _need(voc, "directions", [ind["direction"]], where)
        _need(voc, "surveys", [ind["survey"]], where)
        _need(voc, "reference_periods", [ind["reference_period"]], where)
        _need(voc, "breakdowns", [b["id"] for b in ind.get("breakdowns", [])], where)
        if not AGE_RANGE.fullmatch(ind["age_band"]):
            _need(voc, "age_bands", [ind["age_band"]], where)
    for tgt_id, tgt in reg.targets.items():
        where = f"targets.yaml: target {tgt_id!r}"
        _need(voc, "frameworks", [tgt["framework"]], where)
        _need(voc, "target_kinds", [tgt["kind"]], where)
        _need(
            voc,
            "framework_levels",
            [tgt["applies_to"]] if tgt.get("applies_to") else [],
            where,
        )
        _need(voc, "units", [tgt["unit"]] if tgt.get("unit") else [], where)
    for code, dataset in reg.datasets.items():
        where = f"datasets.yaml: dataset {code!r}"
        _need(voc, "sources", [dataset["source"]], where)
        _need(voc, "surveys", [dataset["survey"]] if dataset.get("survey") else [], where)
        _need(voc, "income_reference", [dataset.get("income_reference", "same_year")], where)
    for code, delivery in reg.deliveries.items():
        for column in delivery.columns:
            lists = column.get("vocabulary", [])
            for name in [lists] if isinstance(lists, str) else lists:
                where = f"deliveries/{code}.yaml: column {column['name']!r}"
                if name not in voc:
                    raise RegistryError(f"{where}: unknown vocabulary list {name!r}")
                _need(voc, name, column["codes"], where)


def _need(voc: Vocabulary, name: str, codes: Iterable[str], where: str) -> None:
    known = voc.get(name)
    if known is None:
        raise RegistryError(f"vocabulary.yaml: list {name!r} is missing (needed by {where})")
    for code in codes:
        if code not in known:
            raise RegistryError(
                f"{where}: {code!r} has no Dutch and English label in vocabulary.yaml "
                f"(add it to list {name!r})"
            )
