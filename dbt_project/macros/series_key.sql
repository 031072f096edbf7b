{#- A series' dimension codes as one sorted text key ('age=Y20-64,sex=T,unit=PC'). -#}
{% macro series_key(dims) -%}
array_to_string(list_sort(list_transform(map_entries({{ dims }}), lambda e: e.key || '=' || e.value)), ',')
{%- endmacro %}
