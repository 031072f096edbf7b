{#- A series' dimension codes as one sorted text key ('age=Y20-64,sex=T,unit=PC'); entries
    sorted byte-wise (as DuckDB sorts text) on every engine. -#}
{% macro series_key(dims) -%}
{{ return(adapter.dispatch('series_key')(dims)) }}
{%- endmacro %}

{% macro default__series_key(dims) -%}
array_to_string(list_sort(list_transform(map_entries({{ dims }}), lambda e: e.key || '=' || e.value)), ',')
{%- endmacro %}

{% macro postgres__series_key(dims) -%}
(select string_agg(e.key || '=' || e.value, ',' order by e.key || '=' || e.value collate "C") from jsonb_each_text({{ dims }}) as e)
{%- endmacro %}

{% macro spark__series_key(dims) -%}
array_join(array_sort(transform(map_entries({{ dims }}), e -> concat(e.key, '=', e.value))), ',')
{%- endmacro %}
