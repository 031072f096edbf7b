{#- Union of two Eurostat flag strings, each letter once, sorted ('pb' + 'bu' -> 'bpu'). -#}
{% macro merge_flags(a, b) -%}
{{ return(adapter.dispatch('merge_flags')(a, b)) }}
{%- endmacro %}

{% macro default__merge_flags(a, b) -%}
array_to_string(list_sort(list_distinct(list_filter(string_split(coalesce({{ a }}, '') || coalesce({{ b }}, ''), ''), lambda c: c <> ''))), '')
{%- endmacro %}

{% macro postgres__merge_flags(a, b) -%}
coalesce((select string_agg(distinct c collate "C", '' order by c collate "C") from regexp_split_to_table(coalesce({{ a }}, '') || coalesce({{ b }}, ''), '') as c where c <> ''), '')
{%- endmacro %}

{% macro spark__merge_flags(a, b) -%}
array_join(array_sort(array_distinct(filter(split(coalesce({{ a }}, '') || coalesce({{ b }}, ''), ''), c -> c <> ''))), '')
{%- endmacro %}
