"""The registry as tables for the warehouse's `registry` schema (dbt sources)."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from pipelines.registry.model import Registry, setting_rows
from pipelines.registry.vocabulary import bilingual


def registry_frames(reg: Registry, settings: dict[str, Any]) -> dict[str, pl.DataFrame]:
    return {
        "indicators": _indicators(reg),
        "indicator_series": _series(reg),
        "indicator_geographies": _indicator_geos(reg),
        "series_breaks": _breaks(reg),
        "gaps": _gaps(reg),
        "derived_inputs": _derived_inputs(reg),
        "targets": _targets(reg),
        "geographies": _geographies(reg),
        "datasets": _datasets(reg),
        "settings": _settings(settings),
        "vocabulary": _vocabulary(reg),
    }


def _indicators(reg: Registry) -> pl.DataFrame:
    rows = []
    for ind in reg.indicators.values():
        source = ind.get("source") or {}
        dataset = reg.datasets.get(source.get("dataset", ""), {})
        derived = ind.get("derived")
        rows.append(
            {
                "indicator_id": ind["id"],
                "concept": ind["concept"],
                "name_nl": ind["name"]["nl"],
                "name_en": ind["name"]["en"],
                "domain": ind["domain"],
                "definition_nl": ind["definition"]["nl"],
                "definition_en": ind["definition"]["en"],
                "unit": ind["unit"],
                "direction": ind["direction"],
                "survey": ind["survey"],
                "reference_period": ind["reference_period"],
                "age_band": ind["age_band"],
                "source": dataset.get("source", "derived" if derived else None),
                "dataset": source.get("dataset"),
                "filters": json.dumps(source.get("filters", {}), sort_keys=True),
                "derived_formula": derived["formula"] if derived else None,
                "derived_inputs": json.dumps(derived["inputs"]) if derived else None,
                "producer": bilingual(dataset.get("producer"))[1],
                "licence": bilingual(dataset.get("licence"))[1],
                "dataset_url": dataset.get("url"),
                "income_reference": dataset.get("income_reference", "same_year"),
                "plausible_min": float(ind["plausible_range"][0]),
                "plausible_max": float(ind["plausible_range"][1]),
                "max_yearly_change": float(ind["max_yearly_change"]),
                "method_notes_nl": ind["method_notes"]["nl"],
                "method_notes_en": ind["method_notes"]["en"],
                "breakdowns": ",".join(b["id"] for b in ind.get("breakdowns", [])),
            }
        )
    return pl.DataFrame(rows)


def _series(reg: Registry) -> pl.DataFrame:
    rows = []
    for ind in reg.indicators.values():
        for s in reg.series(ind):
            keys = sorted(s["filters"])
            rows.append(
                {
                    "indicator_id": ind["id"],
                    "dataset": ind["source"]["dataset"],
                    "breakdown": s["breakdown"],
                    "category": s["category"],
                    "label_nl": s["label_nl"],
                    "label_en": s["label_en"],
                    "filter_keys": keys,
                    "filter_values": [s["filters"][k] for k in keys],
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "indicator_id": pl.String,
            "dataset": pl.String,
            "breakdown": pl.String,
            "category": pl.String,
            "label_nl": pl.String,
            "label_en": pl.String,
            "filter_keys": pl.List(pl.String),
            "filter_values": pl.List(pl.String),
        },
    )


def _indicator_geos(reg: Registry) -> pl.DataFrame:
    rows = [
        {"indicator_id": ind["id"], "geo": geo}
        for ind in reg.indicators.values()
        for geo in reg.indicator_geos(ind)
    ]
    return pl.DataFrame(rows, schema={"indicator_id": pl.String, "geo": pl.String})


def _breaks(reg: Registry) -> pl.DataFrame:
    rows = [
        {
            "indicator_id": ind["id"],
            "geo": b["geo"],
            "period": b["period"],
            "note_nl": b["note"]["nl"],
            "note_en": b["note"]["en"],
        }
        for ind in reg.indicators.values()
        for b in ind.get("series_breaks", [])
    ]
    schema = {k: pl.String for k in ("indicator_id", "geo", "period", "note_nl", "note_en")}
    return pl.DataFrame(rows, schema=schema)


def _gaps(reg: Registry) -> pl.DataFrame:
    rows = [
        {
            "indicator_id": ind["id"],
            "breakdown": gap["breakdown"],
            "group_category": gap["group"],
            "reference_category": gap["reference"],
        }
        for ind in reg.indicators.values()
        for gap in ind.get("gaps", [])
    ]
    schema = {
        k: pl.String for k in ("indicator_id", "breakdown", "group_category", "reference_category")
    }
    return pl.DataFrame(rows, schema=schema)


def _derived_inputs(reg: Registry) -> pl.DataFrame:
    """Input rows of each derived indicator: the headline, and with `by_breakdown` one pair
    per category of that breakdown (output_* name the derived series they make)."""
    rows = []
    for ind in reg.indicators.values():
        if "derived" not in ind:
            continue
        derived = ind["derived"]
        for position, item in enumerate(derived["inputs"], start=1):
            base = {
                "indicator_id": ind["id"],
                "formula": derived["formula"],
                "position": position,
                "input_indicator": item["indicator"],
                "scale": float(item.get("scale", 1.0)),
            }
            rows.append(
                {
                    **base,
                    "input_breakdown": item.get("breakdown", "total"),
                    "input_category": item.get("category", "total"),
                    "output_breakdown": "total",
                    "output_category": "total",
                    "output_category_nl": "totaal",
                    "output_category_en": "total",
                }
            )
            by = derived.get("by_breakdown")
            if by:
                breakdown = _breakdown(reg.indicators[item["indicator"]], by)
                for code, label in breakdown["categories"].items():
                    rows.append(
                        {
                            **base,
                            "input_breakdown": by,
                            "input_category": code,
                            "output_breakdown": by,
                            "output_category": code,
                            "output_category_nl": label["nl"],
                            "output_category_en": label["en"],
                        }
                    )
    schema = {
        "indicator_id": pl.String,
        "formula": pl.String,
        "position": pl.Int32,
        "input_indicator": pl.String,
        "scale": pl.Float64,
        "input_breakdown": pl.String,
        "input_category": pl.String,
        "output_breakdown": pl.String,
        "output_category": pl.String,
        "output_category_nl": pl.String,
        "output_category_en": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def _breakdown(ind: dict[str, Any], breakdown_id: str) -> dict[str, Any]:
    return next(b for b in ind.get("breakdowns", []) if b["id"] == breakdown_id)


def _targets(reg: Registry) -> pl.DataFrame:
    rows = []
    for t in reg.targets.values():
        for geo in t["assessed_for"] or [None]:
            rows.append(
                {
                    "target_id": t["id"],
                    "indicator_id": t["indicator"],
                    "framework": t["framework"],
                    "kind": t["kind"],
                    "operator": t.get("operator"),
                    "target_value": float(t["value"]) if "value" in t else None,
                    "unit": t.get("unit"),
                    "direction": t.get("direction"),
                    "target_year": t.get("target_year"),
                    "base_year": t.get("base_year"),
                    "applies_to": t.get("applies_to"),
                    "geo": geo,
                    "citation": t["citation"]["en"],
                    "note": bilingual(t.get("note"))[1],
                    "citation_nl": t["citation"]["nl"],
                    "citation_en": t["citation"]["en"],
                    "note_nl": bilingual(t.get("note"))[0],
                    "note_en": bilingual(t.get("note"))[1],
                }
            )
    schema = {
        "target_id": pl.String,
        "indicator_id": pl.String,
        "framework": pl.String,
        "kind": pl.String,
        "operator": pl.String,
        "target_value": pl.Float64,
        "unit": pl.String,
        "direction": pl.String,
        "target_year": pl.Int32,
        "base_year": pl.Int32,
        "applies_to": pl.String,
        "geo": pl.String,
        "citation": pl.String,
        "note": pl.String,
        "citation_nl": pl.String,
        "citation_en": pl.String,
        "note_nl": pl.String,
        "note_en": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def _geographies(reg: Registry) -> pl.DataFrame:
    rows = [
        {
            "geo": g["code"],
            "name_nl": g["nl"],
            "name_en": g["en"],
            "level": g["level"],
            "parent": g.get("parent"),
            "is_eu_member": "eu_member" in g.get("groups", []),
            "is_neighbour": "neighbour" in g.get("groups", []),
            "is_nordic": "nordic" in g.get("groups", []),
            "is_historic": bool(g.get("historic", False)),
        }
        for g in reg.geographies.values()
    ]
    return pl.DataFrame(rows)


def _datasets(reg: Registry) -> pl.DataFrame:
    rows = [
        {
            "dataset": d["code"],
            "source": d["source"],
            "title": d["title"],
            "dimensions": ",".join(d["dimensions"]),
            "frequency": d["frequency"],
            "survey": d.get("survey"),
            "producer": bilingual(d["producer"])[1],
            "licence": bilingual(d["licence"])[1],
            "producer_nl": bilingual(d["producer"])[0],
            "producer_en": bilingual(d["producer"])[1],
            "licence_nl": bilingual(d["licence"])[0],
            "licence_en": bilingual(d["licence"])[1],
            "url": d.get("url"),
            "income_reference": d.get("income_reference", "same_year"),
            "freshness_days": d.get("freshness_days"),
        }
        for d in reg.datasets.values()
    ]
    return pl.DataFrame(rows)


def _settings(settings: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(setting_rows(settings), schema={"key": pl.String, "value": pl.Float64})


def _vocabulary(reg: Registry) -> pl.DataFrame:
    """One row per list x code with its labels, in the order of vocabulary.yaml."""
    rows = [
        {
            "list_name": name,
            "code": code,
            "position": position,
            "label_nl": entry["nl"],
            "label_en": entry["en"],
            "short_nl": entry.get("short", {}).get("nl"),
            "short_en": entry.get("short", {}).get("en"),
            "help_nl": entry.get("help", {}).get("nl"),
            "help_en": entry.get("help", {}).get("en"),
        }
        for name, entries in reg.vocabulary.items()
        for position, (code, entry) in enumerate(entries.items(), start=1)
    ]
    schema = {
        "list_name": pl.String,
        "code": pl.String,
        "position": pl.Int32,
        "label_nl": pl.String,
        "label_en": pl.String,
        "short_nl": pl.String,
        "short_en": pl.String,
        "help_nl": pl.String,
        "help_en": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
