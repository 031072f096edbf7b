"""`docs/indicators.md`, generated from the registry: every indicator with its definition,
source, breakdowns, breaks and targets. `monitor registry docs` rewrites it; a test keeps it
current."""

from __future__ import annotations

from typing import Any

from pipelines.registry.model import Registry

DOMAINS = {
    "arbeidsmarkt": "Labour market (arbeidsmarkt)",
    "armoede": "Poverty (armoede)",
    "opleiding": "Training and education (opleiding)",
}


def render(reg: Registry) -> str:
    lines = [
        "# Indicators and targets",
        "",
        "Generated from `registry/*.yaml` by `monitor registry docs`; do not edit by hand.",
        f"{len(reg.indicators)} indicators, {len(reg.targets)} targets, {len(reg.datasets)} source datasets.",
        "",
        "| id | name | domain | unit | source | targets |",
        "|---|---|---|---|---|---|",
    ]
    targets_of: dict[str, list[dict[str, Any]]] = {}
    for target in reg.targets.values():
        targets_of.setdefault(target["indicator"], []).append(target)
    for ind in reg.indicators.values():
        lines.append(
            f"| [`{ind['id']}`](#{ind['id']}) | {ind['name']['nl']} | {ind['domain']} | {ind['unit']} "
            f"| {_source(ind)} | {len(targets_of.get(ind['id'], []))} |"
        )
    for domain, title in DOMAINS.items():
        lines += ["", f"## {title}"]
        for ind in (i for i in reg.indicators.values() if i["domain"] == domain):
            lines += _indicator(ind, targets_of.get(ind["id"], []))
    orphans = [t for t in reg.targets.values() if t["indicator"] not in reg.indicators]
    if orphans:
        lines += ["", "## Goals without an indicator yet", ""]
        lines += [f"- **{t['framework']}** `{t['id']}`: {_target(t)}" for t in orphans]
    return "\n".join(lines) + "\n"


def _source(ind: dict[str, Any]) -> str:
    if "derived" in ind:
        inputs = ", ".join(
            f"{i['indicator']}[{i.get('category', 'total')}]" for i in ind["derived"]["inputs"]
        )
        return f"derived ({ind['derived']['formula']}: {inputs})"
    filters = ", ".join(f"{k}={v}" for k, v in ind["source"]["filters"].items())
    return f"`{ind['source']['dataset']}` ({filters})"


def _indicator(ind: dict[str, Any], targets: list[dict[str, Any]]) -> list[str]:
    out = [
        "",
        f"### {ind['name']['nl']}",
        f'<a id="{ind["id"]}"></a>',
        "",
        f"*{ind['name']['en']}* · `{ind['id']}` · unit {ind['unit']} · "
        f"{'higher' if ind['direction'] == 'up' else 'lower'} is better",
        "",
        f"- **Definitie**: {ind['definition']['nl']}",
        f"- **Definition**: {ind['definition']['en']}",
        f"- **Source**: {_source(ind)}; survey {ind['survey']}, reference period {ind['reference_period']}"
        + (f", ages {ind['age_band']}" if ind.get("age_band") else ""),
    ]
    breakdowns = ", ".join(
        f"{b['id']} ({', '.join(c['en'] for c in b['categories'].values())})"
        for b in ind.get("breakdowns", [])
    )
    if breakdowns:
        out.append(f"- **Breakdowns**: {breakdowns}")
    if ind.get("gaps"):
        out.append(
            "- **Group gaps**: "
            + ", ".join(f"{g['group']} vs {g['reference']}" for g in ind["gaps"])
        )
    if ind.get("series_breaks"):
        out.append(
            "- **Series breaks**: "
            + "; ".join(
                f"{b['geo']} {b['period']}: {b['note']['en']}" for b in ind["series_breaks"]
            )
        )
    out.append(f"- **Method notes**: {ind['method_notes']['en']}")
    for target in targets:
        out.append(f"- **Target ({target['framework']})**: {_target(target)}")
    return out


def _target(t: dict[str, Any]) -> str:
    kind = t["kind"]
    if kind == "level":
        what = f"{t['operator']} {t['value']} {t.get('unit', '')} in {t['target_year']}".replace(
            "  ", " "
        )
    elif kind == "count_change":
        what = (
            f"{t['value']:+} {t.get('unit', '')} by {t['target_year']} versus {t.get('base_year')}"
        )
    elif kind == "direction":
        what = f"direction {t.get('direction', '')}"
    else:
        what = "target requested, not set"
    return f"{what} — {t['citation']['en']}"
