"""Spreadsheet intake: the bundled SAMPLE deliveries pass; every kind of bad delivery is
refused with the file, sheet, row and column of each problem (real files, real openpyxl)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from pipelines.registry.deliveries import load_deliveries
from pipelines.registry.templates import csv_text, workbook_bytes
from pipelines.settings import REPO_ROOT, SAMPLE_DIR
from pipelines.sources.intake import DeliveryError
from pipelines.sources.intake.locate import find
from pipelines.sources.intake.safety import name_problems
from pipelines.sources.intake.source import check_bytes, check_file

DELIVERIES = load_deliveries(REPO_ROOT / "registry")
TRAINING = DELIVERIES["training_instruments"]
SAMPLES = SAMPLE_DIR / "intake"


def training_rows() -> list[dict]:
    """The SAMPLE rows, relabelled as a producer's delivery."""
    _, frame = check_file(TRAINING, SAMPLES / "SAMPLE_training_instruments.xlsx")
    return [{**r, "data_label": "delivered"} for r in frame.to_dicts()]


def refused(code: str, name: str, data: bytes) -> list[str]:
    with pytest.raises(DeliveryError) as info:
        check_bytes(DELIVERIES[code], name, data)
    return [str(p) for p in info.value.problems]


def test_bundled_samples_are_valid():
    counts = {}
    for path in sorted(SAMPLES.iterdir()):
        code = path.name.split(".")[0].removeprefix("SAMPLE_")
        _, frame = check_file(DELIVERIES[code], path)
        counts[code] = frame.height
        assert set(frame["data_label"]) <= {"sample", "synthetic"}
    assert counts == {"statbel_poverty": 19, "training_instruments": 13, "vdab_tightness": 24}


def test_valid_delivery_in_both_formats():
    rows = training_rows()
    xlsx = check_bytes(TRAINING, "training_instruments.xlsx", workbook_bytes(TRAINING, rows))
    csv = check_bytes(TRAINING, "training_instruments.csv", csv_text(TRAINING, rows).encode())
    assert xlsx.drop("row_number").to_dicts() == csv.drop("row_number").to_dicts()
    assert xlsx.filter(xlsx["instrument"] == "VOV")["budget_eur"].to_list() == [60_000_000.0]


def test_semicolon_csv_is_read():
    import csv

    rows = list(csv.reader(io.StringIO(csv_text(TRAINING, training_rows()))))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)  # as Excel saves CSV in Belgium
    text = out.getvalue()
    frame = check_bytes(TRAINING, "training_instruments.csv", text.encode())
    assert frame.height == 13


def test_missing_column_is_named_and_other_cells_still_checked():
    rows = training_rows()
    rows[2]["year"] = "twenty"
    data = workbook_bytes(TRAINING, rows)
    book = _edit(data, lambda ws: ws.delete_cols(5))  # column E = budget_eur
    problems = refused("training_instruments", "training_instruments.xlsx", book)
    assert (
        "training_instruments.xlsx, sheet 'data', row 1, column budget_eur: column 'budget_eur' is missing from the header"
        in problems
    )
    assert any("row 4, column year (B): 'twenty' is not a whole number" in p for p in problems)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("year", "2024b", "sheet 'data', row 3, column year (B): '2024b' is not a whole number"),
        (
            "budget_eur",
            "veel",
            "sheet 'data', row 3, column budget_eur (E): 'veel' is not a number",
        ),
        (
            "inside_1_3bn",
            "misschien",
            "row 3, column inside_1_3bn (I): 'misschien' is not a yes/no value",
        ),
        ("instrument", "VOUCHER", "row 3, column instrument (A): unknown code 'VOUCHER'"),
        ("instrument", "vov", "unknown code 'vov' (did you mean 'VOV'?)"),
        ("budget_eur", -1, "row 3, column budget_eur (E): -1 is below the minimum 0"),
        (
            "financing_mode",
            None,
            "row 3, column financing_mode (D): empty cell; a value is required",
        ),
        ("source_citation", None, "row 3, column source_citation (M): empty cell"),
    ],
)
def test_bad_cell_is_located(field, value, expected):
    rows = training_rows()
    rows[1][field] = value  # spreadsheet row 3
    problems = refused(
        "training_instruments", "training_instruments.xlsx", workbook_bytes(TRAINING, rows)
    )
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("training_instruments.xlsx, sheet 'data', row ") for p in problems)


def test_every_problem_is_collected():
    rows = training_rows()
    rows[0]["budget_eur"] = -5
    rows[1]["instrument"] = "XYZ"
    rows[2]["participants"] = 12.5
    rows[3]["is_estimate"] = True  # no assumption given
    rows[4] = {**rows[5]}  # duplicate of the next row
    problems = refused(
        "training_instruments", "training_instruments.csv", csv_text(TRAINING, rows).encode()
    )
    joined = "\n".join(problems)
    assert "row 2, column budget_eur (5): -5 is below the minimum 0" in joined
    assert "row 3, column instrument (1): unknown code 'XYZ'" in joined
    assert "row 4, column participants (6): '12.5' is not a whole number" in joined
    assert "row 5, column estimate_assumption (11): required because is_estimate is true" in joined
    assert (
        "row 7, column instrument,year: duplicate row: instrument=VOV, year=2024 is already in row 6"
        in joined
    )
    assert len(problems) == 5


def test_duplicate_row_names_both_rows():
    rows = training_rows()
    rows.append(dict(rows[0]))
    problems = refused(
        "training_instruments", "training_instruments.xlsx", workbook_bytes(TRAINING, rows)
    )
    assert problems == [
        f"training_instruments.xlsx, sheet 'data', row {len(rows) + 1}, column instrument,year: "
        "duplicate row: instrument=SYNTRA, year=2024 is already in row 2"
    ]


def test_empty_sheet_header_only_and_missing_sheet():
    assert refused(
        "training_instruments", "training_instruments.xlsx", workbook_bytes(TRAINING, [])
    ) == ["training_instruments.xlsx, sheet 'data', row 2: no data rows under the header"]
    blank = _edit(workbook_bytes(TRAINING, []), lambda ws: ws.delete_rows(1))
    assert refused("training_instruments", "training_instruments.xlsx", blank) == [
        "training_instruments.xlsx, sheet 'data', row 1: sheet 'data' is empty: no header row"
    ]
    renamed = _edit(
        workbook_bytes(TRAINING, training_rows()), lambda ws: setattr(ws, "title", "Blad1")
    )
    (problem,) = refused("training_instruments", "training_instruments.xlsx", renamed)
    assert "sheet 'data' not found (the workbook has: Blad1, toelichting)" in problem


def test_formulas_are_not_evaluated():
    """A formula is read as its stored value; one without a stored value is an empty cell."""
    rows = training_rows()
    rows[0]["year"] = "=2020+4"
    problems = refused(
        "training_instruments", "training_instruments.xlsx", workbook_bytes(TRAINING, rows)
    )
    assert problems == [
        "training_instruments.xlsx, sheet 'data', row 2, column year (B): empty cell; a value is required"
    ]


def test_sample_labels_and_file_names_must_agree():
    rows = [{**r, "data_label": "sample"} for r in training_rows()]
    problems = refused(
        "training_instruments", "training_instruments.csv", csv_text(TRAINING, rows).encode()
    )
    assert len(problems) == 13 and "labelled 'sample' in a file not named SAMPLE_" in problems[0]
    problems = refused(
        "training_instruments",
        "SAMPLE_training_instruments.csv",
        csv_text(TRAINING, training_rows()).encode(),
    )
    assert "a SAMPLE_ file may hold only rows labelled sample or synthetic" in problems[0]


def test_income_year_must_be_survey_year_minus_one():
    text = (SAMPLES / "SAMPLE_statbel_poverty.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[3] = lines[3].replace("2006,2005,", "2006,2006,", 1)
    problems = refused(
        "statbel_poverty", "SAMPLE_statbel_poverty.csv", ("\n".join(lines) + "\n").encode()
    )
    assert problems == [
        "SAMPLE_statbel_poverty.csv, row 4, column income_year (2): 2006 must equal survey_year -1 = 2005"
    ]


def test_oversized_junk_file_is_refused_before_reading(tmp_path):
    junk = tmp_path / "training_instruments.xlsx"
    with open(junk, "wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1024 * 1024))
    with pytest.raises(DeliveryError) as info:
        check_file(TRAINING, junk)
    assert str(info.value.problems[0]) == (
        "training_instruments.xlsx: file is 50.0 MB, above the limit of 20 MB "
        "(config/monitor.yaml intake.max_file_mb)"
    )
    small_junk = os.urandom(4096)
    assert refused("training_instruments", "training_instruments.xlsx", small_junk) == [
        "training_instruments.xlsx: not an XLSX workbook (no zip signature); save it as .xlsx"
    ]


def test_workbook_with_macros_is_refused():
    data = _add_parts(
        workbook_bytes(TRAINING, training_rows()), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}
    )
    assert refused("training_instruments", "training_instruments.xlsx", data) == [
        "training_instruments.xlsx: workbook contains macros (vbaProject.bin); refused"
    ]
    assert "macro-enabled workbook (.xlsm) is refused" in str(
        name_problems("training_instruments.xlsm")[0]
    )


def test_workbook_with_external_links_is_refused():
    data = _add_parts(
        workbook_bytes(TRAINING, training_rows()),
        {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
    )
    (problem,) = refused("training_instruments", "training_instruments.xlsx", data)
    assert "external links" in problem


def test_zip_bomb_is_refused_unopened():
    big = _add_parts(workbook_bytes(TRAINING, training_rows()), {"xl/media/zeros.bin": 150})
    assert len(big) < 2 * 1024 * 1024
    (problem,) = refused("training_instruments", "training_instruments.xlsx", big)
    assert "unpacks to 150 MB, above the limit of 100 MB (a zip bomb?); refused unopened" in problem
    dense = _add_parts(workbook_bytes(TRAINING, training_rows()), {"xl/media/zeros.bin": 20})
    (problem,) = refused("training_instruments", "training_instruments.xlsx", dense)
    assert "compression ratio" in problem and "(a zip bomb?)" in problem


@pytest.mark.parametrize(
    "name",
    [
        "..\\..\\training_instruments.csv",
        "..training_instruments.csv",
        "training_instruments\x1b.csv",
        "-training_instruments.csv",
        "training_instruments.csv.exe",
    ],
)
def test_unsafe_or_odd_names_in_a_folder_refuse_the_delivery(tmp_path, name):
    (tmp_path / name).write_text(csv_text(TRAINING, training_rows()), encoding="utf-8")
    with pytest.raises(DeliveryError) as info:
        find("training_instruments", tmp_path, "dir")
    message = str(info.value.problems[0])
    assert repr(name) in message or name in message
    assert "unsafe file name" in message or "unsupported file type" in message


def test_symlink_and_path_names_are_refused(tmp_path):
    target = tmp_path / "elsewhere.csv"
    target.write_text(csv_text(TRAINING, training_rows()), encoding="utf-8")
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "training_instruments.csv").symlink_to(target)
    with pytest.raises(DeliveryError, match="symbolic links are refused"):
        find("training_instruments", folder, "dir")
    for name in ("../training_instruments.csv", "/etc/training_instruments.csv", "a/../../x.csv"):
        assert "unsafe file name" in str(name_problems(name)[0])
    assert name_problems("training_instruments.xlsx") == []


def test_two_files_for_one_delivery_are_refused(tmp_path):
    (tmp_path / "training_instruments.csv").write_text(csv_text(TRAINING, training_rows()))
    (tmp_path / "training_instruments.xlsx").write_bytes(workbook_bytes(TRAINING, training_rows()))
    with pytest.raises(DeliveryError, match="several files for training_instruments"):
        find("training_instruments", tmp_path, "dir")


def _edit(data: bytes, change) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book["data"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _add_parts(data: bytes, parts: dict[str, bytes | int]) -> bytes:
    """Copy a workbook's zip and add parts (an int = that many MB of zeros, streamed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for name, content in parts.items():
            if isinstance(content, int):
                with dst.open(name, "w", force_zip64=True) as handle:
                    chunk = bytes(1024 * 1024)
                    for _ in range(content):
                        handle.write(chunk)
            else:
                dst.writestr(name, content)
    return out.getvalue()


def test_templates_and_delivery_docs_are_current():
    from pipelines.registry.templates import csv_text as header
    from pipelines.registry.templates import render_docs, workbook_cells

    docs = (REPO_ROOT / "docs" / "deliveries.md").read_text(encoding="utf-8")
    assert docs == render_docs(DELIVERIES), "run `monitor registry docs`"
    for code, delivery in DELIVERIES.items():
        folder = REPO_ROOT / "docs" / "templates"
        assert (folder / f"{code}.csv").read_text() == header(delivery)
        assert workbook_cells((folder / f"{code}.xlsx").read_bytes()) == workbook_cells(
            workbook_bytes(delivery)
        )
        assert check_bytes is not None and Path(folder / f"{code}.xlsx").stat().st_size > 0
