"""Two real downloads of ilc_mddd21 (Eurostat revised some values between them) flow through
the pipeline as two vintages, and mart_revisions lists exactly the cells that changed."""

from __future__ import annotations

import gzip
import shutil

import duckdb

from tests.conftest import copy_sample, monitor_cmd


def cells(text: str) -> dict[tuple[str, str], str]:
    lines = text.splitlines()
    years = [h.strip() for h in lines[0].split("\t")[1:]]
    out = {}
    for line in lines[1:]:
        parts = line.split("\t")
        for year, cell in zip(years, parts[1:], strict=True):
            out[(parts[0], year)] = cell.strip()
    return out


def test_real_revision_between_two_vintages(shared_data, tmp_path, published_home):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    folder = copy_sample(tmp_path / "files")
    (folder / "SAMPLE_ilc_mddd21.tsv").unlink()
    earlier = shared_data / "ilc_mddd21_two_vintages" / "ilc_mddd21_earlier.tsv"
    later = shared_data / "ilc_mddd21_two_vintages" / "ilc_mddd21_later.tsv.gz"

    shutil.copy(earlier, folder / "ilc_mddd21.tsv")
    first = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    assert first.returncode == 0, first.stdout + first.stderr
    (folder / "ilc_mddd21.tsv").unlink()
    shutil.copy(later, folder / "ilc_mddd21.tsv.gz")
    second = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    assert second.returncode == 0, second.stdout + second.stderr

    old = cells(earlier.read_text())
    new = cells(gzip.decompress(later.read_bytes()).decode())
    changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    assert changed, "the two real vintages differ"

    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    rows = con.execute(
        "select series_key, geo, period, revision_kind, previous_value, current_value "
        "from mart_revisions where dataset = 'ilc_mddd21'"
    ).fetchall()
    snapshots = con.execute(
        "select mode, is_sample from dim_snapshot where dataset = 'ilc_mddd21'"
    ).fetchall()
    con.close()
    assert {(f"{s.split('=')[1]},{g}", p) for s, g, p, *_ in rows} == changed
    assert all(
        kind in ("new_value", "revised_value", "removed_value", "flags_changed")
        for *_, kind, _, _ in rows
    )
    assert snapshots == [("dir", False)]
