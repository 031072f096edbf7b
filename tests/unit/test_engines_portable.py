"""The warehouse engine as a setting, its connection settings from the environment (the
password never shown), the DuckDB-to-PostgreSQL type mapping of the loader, the
cell-for-cell comparison of two engines' tables, and the dbt profile's three targets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import yaml

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse.engines.compare import compare_tables
from pipelines.warehouse.engines.load_postgres import UnsupportedType, postgres_type
from pipelines.warehouse.engines.read import normalise
from pipelines.warehouse.engines.settings import (
    PostgresSettings,
    SparkSettings,
    UnknownEngine,
    engine,
)
from pipelines.warehouse.engines.sources import Column, source_tables


def test_engine_defaults_to_duckdb_and_the_environment_overrides_it(monkeypatch):
    monkeypatch.delenv("MONITOR_WAREHOUSE_ENGINE", raising=False)
    assert engine() == "duckdb"
    monkeypatch.setenv("MONITOR_WAREHOUSE_ENGINE", "Postgres")
    assert engine() == "postgres"
    monkeypatch.setenv("MONITOR_WAREHOUSE_ENGINE", "oracle")
    with pytest.raises(UnknownEngine, match="'oracle'.*duckdb, postgres, spark"):
        engine()


def test_postgres_settings_come_from_the_environment_and_hide_the_password():
    settings = PostgresSettings.from_env(
        {
            "MONITOR_POSTGRES_HOST": "db.example",
            "MONITOR_POSTGRES_PORT": "6543",
            "MONITOR_POSTGRES_USER": "stat office",
            "MONITOR_POSTGRES_PASSWORD": "s3cr@t/pw",
        }
    )
    assert (settings.host, settings.port, settings.dbname) == ("db.example", 6543, "monitor")
    assert "s3cr@t" not in str(settings) and "s3cr@t" not in repr(settings)
    assert str(settings) == "postgresql://stat office:***@db.example:6543/monitor"
    assert (
        settings.url()
        == "postgresql+psycopg2://stat%20office:s3cr%40t%2Fpw@db.example:6543/monitor"
    )
    assert PostgresSettings.from_env(settings.env()) == settings


def test_spark_settings_from_the_environment():
    settings = SparkSettings.from_env({"MONITOR_SPARK_PORT": "10015"})
    assert (settings.host, settings.port) == ("127.0.0.1", 10015)
    assert SparkSettings.from_env(settings.env()).port == 10015


def test_loader_maps_every_duckdb_type_of_the_sources():
    assert postgres_type(Column("dims", "MAP(VARCHAR, VARCHAR)")) == "jsonb"
    assert postgres_type(Column("filter_keys", "VARCHAR[]")) == "text[]"
    assert postgres_type(Column("retrieved_at", "TIMESTAMP WITH TIME ZONE")) == (
        "timestamp with time zone"
    )
    assert postgres_type(Column("x", "DECIMAL(18,3)")) == "numeric(18,3)"
    with pytest.raises(UnsupportedType, match="column u: DuckDB type UNION"):
        postgres_type(Column("u", "UNION(a INTEGER, b VARCHAR)"))
    names = {(t.schema, t.name) for t in source_tables()}
    assert ("raw", "observations") in names and ("registry", "settings") in names


def test_comparison_finds_a_changed_cell_and_tolerates_float_noise():
    columns = ["id", "value", "flags", "at"]
    at = datetime(2026, 1, 1, 12, tzinfo=UTC)
    left = (columns, [(1, 0.1 + 0.2, "p", at), (2, None, "", at)])
    same = (
        columns,
        [(2, None, "", at), (1, 0.3, "p", at.astimezone(timezone(timedelta(hours=1))))],
    )
    assert compare_tables("t", left, same).equal
    changed = (columns, [(1, 0.3000001, "p", at), (2, None, "", at)])
    result = compare_tables("t", left, changed)
    assert not result.equal and "value" in str(result)
    assert not compare_tables("t", left, (columns, left[1][:1])).equal
    assert not compare_tables("t", left, (["id", "value", "flag", "at"], left[1])).equal
    assert not compare_tables("t", (["b"], [(True,)]), (["b"], [(1,)])).equal


def test_values_are_normalised_across_drivers():
    assert normalise(Decimal("42")) == 42 and isinstance(normalise(Decimal("42")), int)
    assert normalise(Decimal("0.5")) == 0.5
    assert normalise(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_the_dbt_profile_has_a_target_per_engine_and_no_password_in_it():
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())["policy_monitor"]
    outputs = profile["outputs"]
    assert profile["target"] == "warehouse" and outputs["warehouse"]["type"] == "duckdb"
    assert outputs["postgres"]["type"] == "postgres"
    assert outputs["spark"]["type"] == "spark" and outputs["spark"]["method"] == "thrift"
    assert "DBT_ENV_SECRET_" in outputs["postgres"]["password"]


def test_the_gate_pulls_every_staging_relation_a_suite_reads():
    import json

    from pipelines.settings import REPO_ROOT
    from pipelines.warehouse.engines.server_run import gate_relations

    relations = gate_relations()
    queries = [
        json.loads(p.read_text())["meta"].get("query") or ""
        for p in (REPO_ROOT / "expectations" / "suites").glob("*.json")
    ]
    assert relations["staging"]  # the suites read staging relations today
    for schema, names in relations.items():
        for name in names:
            assert any(f"{schema}.{name}" in q for q in queries), name


def test_the_distributed_instance_names_importable_postgres_storages():
    import importlib

    import yaml

    from pipelines.warehouse.distributed.instance import DAGSTER_YAML

    spec = yaml.safe_load(DAGSTER_YAML)
    for key in ("run_storage", "event_log_storage", "schedule_storage"):
        module = importlib.import_module(spec[key]["module"])
        assert hasattr(module, spec[key]["class"]), key
        assert spec[key]["config"]["postgres_url"] == {"env": "MONITOR_DAGSTER_POSTGRES_URL"}
