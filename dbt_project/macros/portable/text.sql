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
