{#- Text helpers whose DuckDB spelling PostgreSQL or Spark reject or read differently. -#}

{#- string_agg(expr, sep order by expr) of the group's non-null values, sorted byte-wise;
    null when there are none. `distinct=true` keeps each value once. -#}
{% macro string_agg_sorted(expr, sep, distinct=false) -%}
{{ return(adapter.dispatch('string_agg_sorted')(expr, sep, distinct)) }}
{%- endmacro %}

{% macro default__string_agg_sorted(expr, sep, distinct) -%}
string_agg({{ 'distinct ' if distinct }}{{ expr }}, {{ sep }} order by {{ expr }})
{%- endmacro %}

{% macro postgres__string_agg_sorted(expr, sep, distinct) -%}
string_agg({{ 'distinct ' if distinct }}{{ expr }} collate "C", {{ sep }} order by {{ expr }} collate "C")
{%- endmacro %}

{% macro spark__string_agg_sorted(expr, sep, distinct) -%}
case when count({{ expr }}) > 0
    then array_join(array_sort({{ 'collect_set' if distinct else 'collect_list' }}({{ expr }})), {{ sep }}) end
{%- endmacro %}

{#- A double as text the way DuckDB writes it (15.0 -> '15.0', 10.4 -> '10.4'); PostgreSQL
    writes whole numbers without '.0'. Very large or small magnitudes may still differ
    (exponent notation). -#}
{% macro float_text(x) -%}
{{ return(adapter.dispatch('float_text')(x)) }}
{%- endmacro %}

{% macro default__float_text(x) -%}
cast({{ x }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__float_text(x) -%}
(case when cast({{ x }} as text) ~ '^-?[0-9]+$' then cast({{ x }} as text) || '.0' else cast({{ x }} as text) end)
{%- endmacro %}
