"""Write the bundled SAMPLE deliveries (pipelines/sample/intake/): figures quoted from the
SERV documents in shared/seeds (labelled `sample`, with their citation) and invented cells
(labelled `synthetic`). Run: .venv/bin/python scripts/make_intake_sample.py"""

from __future__ import annotations

from pipelines.registry.deliveries import load_deliveries
from pipelines.registry.templates import csv_text, workbook_bytes
from pipelines.settings import REPO_ROOT, SAMPLE_DIR

# Citations and notes in Dutch, as a Flemish department delivers them (the report shows them
# as delivered); the seed line numbers are in pipelines/sample/README.md, not in the data.
YEAR_NOTE = (
    "het begrotingsjaar staat niet in de bron (het document citeert bronnen tot 2024): "
    "2024 is onze aanname"
)
SERV_TALENT = (
    "SERV, De Essentie - Naar een gerichte Vlaamse talentstrategie, "
    f"figuur 8 'Overzicht instrumenten levenslang leren'; {YEAR_NOTE}"
)
M = 1_000_000


def training_rows() -> list[dict]:
    def row(code, domain, mode, budget, users, unit, group, inside=True, note="", **extra):
        return {
            "instrument": code,
            "year": 2024,
            "policy_domain": domain,
            "financing_mode": mode,
            "budget_eur": budget,
            "participants": users,
            "participant_unit": unit,
            "target_group": group,
            "inside_1_3bn": inside,
            "is_estimate": False,
            "estimate_assumption": None,
            "data_label": "sample",
            "source_citation": extra.pop("citation", SERV_TALENT),
            "note": note or None,
            **extra,
        }

    outside = (
        "SERV, De Essentie - Naar een gerichte Vlaamse talentstrategie, 'Niet inbegrepen in de "
        f"1,3 miljard euro'; {YEAR_NOTE}"
    )
    return [
        row("SYNTRA", "werk", "supply", 47 * M, 25_000, "course_participants",
            "Brede bevolking (vnl. werknemers)",
            note="Plus 10.000 B2B/B2C-cursisten (niet gesubsidieerd), niet meegeteld. Beleidsdomein door ons toegekend."),
        row("CVO", "onderwijs", "supply", 616 * M, 390_000, "enrolments", "Brede volwassen bevolking",
            note="'Beperkte sturing via financieringsdecreet'."),
        row("VDAB", "werk", "mixed", 175 * M, None, None,
            "Werklozen en inactieven; kwetsbare werknemers (beperkt)",
            note="'Aanbod- en vraaggefinancierd', niet gesplitst in de bron: geteld als gemengd, noch aanbod noch vraag."),
        row("KMO_PORTEFEUILLE", "economie", "demand", 29.4 * M, None, None, "Werkgevers"),
        row("DKO", "onderwijs", "supply", 358 * M, 206_000, "enrolments", "Bevolking van 6 tot 99 jaar",
            note="27 % van de inschrijvingen zijn volwassenen."),
        row("VOV", "werk", "demand", 60 * M, 50_000, "users", "Werknemers",
            note="'Vraaggefinancierd (werknemer/GI)'."),
        row("STS", "economie", "demand", 3.2 * M, None, None, "Ondernemingen",
            note="'Vraaggefinancierd, onderbenut'."),
        row("HO", "onderwijs", "not_stated", None, None, None, "Volwassen bevolking (professionals, alumni, brede interesse)",
            note="Geen bedrag in de bron ('/'; ad hoc, bv. Voorsprongfonds; B2B en B2C)."),
        row("ESF", "werk", "supply", 44 * M, None, None, "Sectoren, werknemers en werkgevers",
            note="Financieringswijze niet vermeld in figuur 8; geteld als aanbod, zoals de tekst doet "
            "('slechts 100 miljoen ... vraagfinanciering ... de overige 1,2 miljard euro gaat naar de subsidiëring van het aanbod')."),
        row("SECTORAL_FUNDS", None, "not_stated", 258 * M, None, None, "Werknemers van de sectoren (sectorale cao's)",
            inside=False, is_estimate=True,
            estimate_assumption="bijdrage van 0,2 % ('voorzichtige bijdragevoet') op een private loonmassa van 129 miljard euro in Vlaanderen (Hermreg): 0,002 x 129 miljard = 258 miljoen, 'bijna 260 miljoen euro'",
            citation=f"SERV, De Essentie - Naar een gerichte Vlaamse talentstrategie, sectorale vormingsfondsen; {YEAR_NOTE}",
            note="Private fondsen, geïnd op de lonen; buiten de 1,3 miljard euro."),
        row("OPLEIDINGSCHEQUES", "werk", "not_stated", None, None, None, "Werknemers", inside=False,
            citation=outside, note="Vermeld als niet inbegrepen in de 1,3 miljard euro; geen bedrag in de bron."),
        row("OPLEIDINGSKREDIET", "werk", "not_stated", None, None, None, "Werknemers", inside=False,
            citation=outside, note="Vermeld als niet inbegrepen in de 1,3 miljard euro; geen bedrag in de bron."),
        row("SECTORCONVENANTEN", "werk", "not_stated", None, None, None, "Sectoren", inside=False,
            citation=outside, note="Vermeld als niet inbegrepen in de 1,3 miljard euro; geen bedrag in de bron."),
    ]  # fmt: skip


def tightness_rows() -> list[dict]:
    quoted = (
        "SERV, De Essentie - Naar een gerichte Vlaamse talentstrategie (seed 004, lines ~200-215): "
        "'ruim 120.000 vacatures voor hooggeschoolden ... 50.000 hooggeschoolde werkzoekenden ... "
        "midden-geschoolde segment ... (112.000) ... vacatures (58.000)'"
    )
    year_note = "The source says 'het afgelopen jaar' without a year: 2024 is our assumption."
    # (vacancies, jobseekers) per level; 2024 HIGH and MEDIUM quoted, everything else invented
    series = {
        "HIGH": [(98_000, 56_000), (104_000, 55_000), (110_000, 53_000), (116_000, 52_000), (118_000, 51_000), (120_000, 50_000)],
        "MEDIUM": [(50_000, 121_000), (52_000, 119_000), (54_000, 117_000), (56_000, 115_000), (57_000, 113_000), (58_000, 112_000)],
        "LOW": [(40_000, 84_000), (41_000, 82_000), (42_000, 80_000), (43_000, 78_000), (44_000, 77_000), (45_000, 76_000)],
    }  # fmt: skip
    rows = []
    for i, year in enumerate(range(2019, 2025)):
        total_v = total_j = 0
        for level, values in series.items():
            vac, js = values[i]
            total_v, total_j = total_v + vac, total_j + js
            is_quoted = year == 2024 and level in ("HIGH", "MEDIUM")
            rows.append(
                _tight(year, level, vac, js, is_quoted, quoted if is_quoted else None, year_note)
            )
        rows.append(
            _tight(year, "TOTAL", total_v, total_j, False, None, "Sum of the three levels.")
        )
    return rows


def _tight(year, level, vac, js, quoted, citation, note):
    return {
        "year": year,
        "education_level": level,
        "occupation": "TOTAL",
        "vacancies": vac,
        "jobseekers": js,
        "data_label": "sample" if quoted else "synthetic",
        "source_citation": citation or "synthetic SAMPLE value (no source)",
        "note": note
        if quoted
        else f"Invented for the sample. {note if level == 'TOTAL' else ''}".strip(),
    }


def poverty_rows() -> list[dict]:
    quoted = (
        "SERV advies Duurzaamheid en armoede, 21 september 2020 (seed 002, lines ~265-320): "
        "'In het Waalse Gewest gaat het om 22% ... Brusselse Hoofdstedelijke Gewest om 33% ... "
        "In België ligt het armoederisico op 16% ... (EU) op 17%' (2018)"
    )
    note = "Survey year; the income refers to the year before (seed 002: 'De jaartallen in de figuur slaan op het jaar waarin de enquête werd afgenomen')."
    flanders = [
        10.6,
        10.9,
        10.8,
        10.4,
        10.1,
        10.3,
        10.8,
        10.5,
        10.2,
        10.6,
        10.8,
        10.4,
        10.5,
        10.3,
        10.4,
    ]
    rows = []
    for year, rate in zip(range(2004, 2019), flanders, strict=True):
        rows.append(
            {
                "survey_year": year,
                "income_year": year - 1,
                "geo": "BE2",
                "arop_rate_pct": rate,
                "persons_at_risk": 680_000 if year == 2018 else None,
                "ci_lower_pct": None,
                "ci_upper_pct": None,
                "is_provisional": False,
                "data_label": "synthetic",
                "source_citation": "synthetic SAMPLE value within the quoted 10-11% band (seed 002, lines ~265-275: 'Sinds 2004 blijft die groep stabiel tussen 10 en 11%')",
                "note": note
                + (
                    " persons_at_risk = the quoted 'about 680,000' (seed 002, line ~270)."
                    if year == 2018
                    else ""
                ),
            }
        )
    for geo, rate in (("BE3", 22.0), ("BE1", 33.0), ("BE", 16.0), ("EU28", 17.0)):
        rows.append(
            {
                "survey_year": 2018,
                "income_year": 2017,
                "geo": geo,
                "arop_rate_pct": rate,
                "persons_at_risk": None,
                "ci_lower_pct": None,
                "ci_upper_pct": None,
                "is_provisional": False,
                "data_label": "sample",
                "source_citation": quoted,
                "note": note
                + (" 'EU' in the source; EU28 was the EU of 2018." if geo == "EU28" else ""),
            }
        )
    return rows


def main() -> None:
    deliveries = load_deliveries(REPO_ROOT / "registry")
    folder = SAMPLE_DIR / "intake"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SAMPLE_training_instruments.xlsx").write_bytes(
        workbook_bytes(deliveries["training_instruments"], training_rows())
    )
    (folder / "SAMPLE_vdab_tightness.csv").write_text(
        csv_text(deliveries["vdab_tightness"], tightness_rows()), encoding="utf-8"
    )
    (folder / "SAMPLE_statbel_poverty.csv").write_text(
        csv_text(deliveries["statbel_poverty"], poverty_rows()), encoding="utf-8"
    )
    print(f"wrote the SAMPLE deliveries in {folder}")


if __name__ == "__main__":
    main()
