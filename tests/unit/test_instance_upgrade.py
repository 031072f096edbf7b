"""An instance folder written before the restructure names the storage class at its old
module; `monitor status` reads its runs all the same (the config is rewritten in place)."""

from __future__ import annotations

from pipelines.cli.history import print_runs
from pipelines.warehouse.instance import DAGSTER_YAML


def test_status_reads_an_instance_folder_of_an_older_version(tmp_path, capsys, monkeypatch):
    home = tmp_path / "dagster"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))  # its storage, not this checkout's runs
    old = DAGSTER_YAML.replace(
        "module: pipelines.warehouse.dagster_storage", "module: pipelines.lib.dagster_storage"
    )
    assert old != DAGSTER_YAML
    (home / "dagster.yaml").write_text(old)
    print_runs(home, 5)
    assert "Last 0 run(s):" in capsys.readouterr().out
    assert (home / "dagster.yaml").read_text() == DAGSTER_YAML
