"""The overview as a table to download (`data/overview.csv`, `.xlsx`): one row per
indicator x area x target with the verdicts as codes and in both languages."""

from __future__ import annotations

from pipelines.report.data import ReportData
from pipelines.report.downloads import credit
from pipelines.report.fmt import Fmt
from pipelines.report.pages import common
from pipelines.report.pages.overview import GEOS

DOWNLOAD_COLUMNS = [
    "domain",
    "indicator_id",
    "indicator_nl",
    "indicator_en",
    "unit",
    "geo",
    "geo_name_nl",
    "geo_name_en",
    "latest_period",
    "latest_value",
    "latest_flags",
    "previous_period",
    "change_since_previous",
    "trend",
    "eu_year",
    "eu_class",
    "eu_change_across_break",
    "eu_rank",
    "eu_members",
    "target_id",
    "framework",
    "target_kind",
    "target_level",
    "target_year",
    "verdict",
    "verdict_nl",
    "verdict_en",
    "verdict_from",
    "verdict_to",
    "value_judged",
    "reason_code",
    "reason_nl",
    "reason_en",
    "dataset",
    "producer_nl",
    "producer_en",
    "is_sample",
]


def download_rows(data: ReportData) -> list[tuple]:
    """The overview as a table: one row per indicator x area x target (an indicator without a
    target in an area: one row with the target columns empty), verdicts as codes and words."""
    nl, en = Fmt(data.vocab, "nl"), Fmt(data.vocab, "en")
    out = []
    known = {i["indicator_id"] for i in data.indicators}
    for row in (r for r in data.progress if r["indicator_id"] not in known):
        values = {
            "indicator_id": row["indicator_id"],
            "geo": row["geo"],
            "geo_name_nl": data.geos[row["geo"]]["name_nl"],
            "geo_name_en": data.geos[row["geo"]]["name_en"],
            "target_id": row["target_id"],
            "framework": row["framework"],
            "target_kind": row["kind"],
            "verdict": row["verdict"],
            "verdict_nl": nl.label("verdicts", row["verdict"]),
            "verdict_en": en.label("verdicts", row["verdict"]),
            "reason_code": row["reason_code"],
            "reason_nl": common.progress_reason(nl, row, row["unit"]) or None,
            "reason_en": common.progress_reason(en, row, row["unit"]) or None,
            "is_sample": data.publication["is_sample"],
        }
        out.append(tuple(values.get(c) for c in DOWNLOAD_COLUMNS))
    for ind in data.indicators:
        credits = credit(data, ind)
        targets = [r for r in data.progress if r["indicator_id"] == ind["indicator_id"]]
        for geo in GEOS:
            latest = data.latest.get((ind["indicator_id"], geo)) or {}
            bench = data.benchmark.get((ind["indicator_id"], geo)) or {}
            region = not data.geos.get(geo, {}).get("is_eu_member", False)
            rank = bench.get("rank_among_members")
            base = {
                "domain": ind["domain"],
                "indicator_id": ind["indicator_id"],
                "indicator_nl": ind["name_nl"],
                "indicator_en": ind["name_en"],
                "unit": ind["unit"],
                "geo": geo,
                "geo_name_nl": data.geos[geo]["name_nl"],
                "geo_name_en": data.geos[geo]["name_en"],
                "latest_period": latest.get("latest_period"),
                "latest_value": latest.get("latest_value"),
                "latest_flags": latest.get("latest_flags"),
                "previous_period": latest.get("previous_period"),
                "change_since_previous": latest.get("change_since_previous"),
                "trend": common.trend_code(latest or None, ind["direction"]),
                "eu_year": bench.get("year") if geo != "EU27_2020" else None,
                "eu_class": bench.get("scoreboard_class") if geo != "EU27_2020" else None,
                "eu_change_across_break": bench.get("yoy_across_break")
                if bench and geo != "EU27_2020"
                else None,
                "eu_rank": (min(rank, bench["n_members"] + 1) if region else rank)
                if rank and geo != "EU27_2020"
                else None,
                "eu_members": bench.get("n_members") if geo != "EU27_2020" else None,
                **credits,
                "is_sample": data.publication["is_sample"],
            }
            rows = [r for r in targets if r["geo"] == geo]
            if not rows and not latest:
                continue
            for row in rows or [None]:
                target = {}
                if row:
                    unit = row["unit"] or ind["unit"]
                    target = {
                        "target_id": row["target_id"],
                        "framework": row["framework"],
                        "target_kind": row["kind"],
                        "target_level": row["target_level"],
                        "target_year": row["target_year"],
                        "verdict": row["verdict"],
                        "verdict_nl": nl.label("verdicts", row["verdict"]),
                        "verdict_en": en.label("verdicts", row["verdict"]),
                        "verdict_from": row["base_year_used"],
                        "verdict_to": row["latest_year"],
                        "value_judged": row["latest_value"],
                        "reason_code": row["reason_code"],
                        "reason_nl": common.progress_reason(nl, row, unit) or None,
                        "reason_en": common.progress_reason(en, row, unit) or None,
                    }
                values = {**base, **target}
                out.append(tuple(values.get(c) for c in DOWNLOAD_COLUMNS))
    return out
