{#- Union of two Eurostat flag strings, each letter once, sorted ('pb' + 'bu' -> 'bpu'). -#}
{% macro merge_flags(a, b) -%}
array_to_string(list_sort(list_distinct(list_filter(string_split(coalesce({{ a }}, '') || coalesce({{ b }}, ''), ''), lambda c: c <> ''))), '')
{%- endmacro %}
