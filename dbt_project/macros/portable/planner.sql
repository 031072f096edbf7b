{#- What an engine's query planner needs around each model (hooks in dbt_project.yml).

    PostgreSQL has no statistics for a table made by `create table as` until autovacuum gets
    to it, and cannot estimate filters such as `period = cast(period_year as text)`: it then
    plans joins of thousands of rows as nested loops over a one-row guess (minutes instead
    of a fraction of a second). So each model runs without nested-loop joins (this project
    has no indexes for them to use anyway) and its table is analysed once built; and without
    JIT compilation, which the cost of a forbidden join would trigger (seconds of compiling
    for a query of milliseconds). DuckDB and
    Spark plan with their own runtime statistics: nothing to do. -#}

{% macro planner_settings() -%}
{{ return(adapter.dispatch('planner_settings')()) }}
{%- endmacro %}

{% macro default__planner_settings() -%}
{%- endmacro %}

{% macro postgres__planner_settings() -%}
set local enable_nestloop = off; set local jit = off
{%- endmacro %}

{% macro analyze_after_build() -%}
{{ return(adapter.dispatch('analyze_after_build')()) }}
{%- endmacro %}

{% macro default__analyze_after_build() -%}
{%- endmacro %}

{% macro postgres__analyze_after_build() -%}
{%- if config.get('materialized') == 'table' -%}
analyze {{ this }}
{%- endif -%}
{%- endmacro %}
