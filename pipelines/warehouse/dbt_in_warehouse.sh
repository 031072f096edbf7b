#!/bin/sh
# dbt of the dbt environment, started in the folder of the DuckDB warehouse it builds.
#
# profiles.yml names the warehouse by its file name only (warehouse.duckdb, opened in this
# folder), so dbt's profile, which it hashes into its partial-parse state, is the same for
# every warehouse home: a new or copied home re-parses only what changed instead of the
# whole project (docs/architecture.md, "dbt's partial parse").
#
# The warehouse:  $MONITOR_WAREHOUSE_DB, else $MONITOR_HOME/warehouse.duckdb, else the
#                 repository's warehouse/warehouse.duckdb (as pipelines/settings.py);
# dbt itself:     $MONITOR_DBT_ENV/bin/dbt, else the repository's .venv-dbt/bin/dbt;
# the project:    $DBT_PROJECT_DIR and $DBT_PROFILES_DIR, else the repository's dbt_project.
set -eu
repo=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
absolute() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }

env_dir=$(absolute "${MONITOR_DBT_ENV:-$repo/.venv-dbt}")
warehouse=$(absolute "${MONITOR_WAREHOUSE_DB:-${MONITOR_HOME:-$repo/warehouse}/warehouse.duckdb}")
if [ "$(basename -- "$warehouse")" != warehouse.duckdb ]; then
  echo "error: the warehouse file must be named warehouse.duckdb (profiles.yml opens it by" \
       "that name in its folder), not $warehouse" >&2
  exit 2
fi
DBT_PROJECT_DIR=$(absolute "${DBT_PROJECT_DIR:-$repo/dbt_project}")
DBT_PROFILES_DIR=$(absolute "${DBT_PROFILES_DIR:-$repo/dbt_project}")
export DBT_PROJECT_DIR DBT_PROFILES_DIR

folder=$(dirname -- "$warehouse")
mkdir -p -- "$folder"
cd -- "$folder"
exec "$env_dir/bin/dbt" "$@"
