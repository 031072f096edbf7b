{#- Dimension maps (code -> value) on each engine: a DuckDB MAP, a PostgreSQL jsonb object,
    a Spark map<string,string>. The loader (pipelines/warehouse/engines) writes raw.*.dims so. -#}

{#- A map from two parallel lists of keys and values (registry filter_keys/filter_values). -#}
{% macro map_from_lists(keys, values) -%}
{{ return(adapter.dispatch('map_from_lists')(keys, values)) }}
{%- endmacro %}

{% macro default__map_from_lists(keys, values) -%}
map({{ keys }}, {{ values }})
{%- endmacro %}

{% macro postgres__map_from_lists(keys, values) -%}
jsonb_object({{ keys }}, {{ values }})
{%- endmacro %}

{% macro spark__map_from_lists(keys, values) -%}
map_from_arrays({{ keys }}, {{ values }})
{%- endmacro %}

{#- True when every entry of `filters` has the same value in `dims` (null-safe). As DuckDB's
    list_bool_and of an empty list, empty filters give null (no match) on every engine. -#}
{% macro map_matches(dims, filters) -%}
{{ return(adapter.dispatch('map_matches')(dims, filters)) }}
{%- endmacro %}

{% macro default__map_matches(dims, filters) -%}
list_bool_and(list_transform(
            map_keys({{ filters }}),
            lambda k: {{ dims }}[k] is not distinct from {{ filters }}[k]
        ))
{%- endmacro %}

{% macro postgres__map_matches(dims, filters) -%}
(case when {{ filters }} <> '{}'::jsonb then not exists (
            select 1 from jsonb_each_text({{ filters }}) as f
            where ({{ dims }} ->> f.key) is distinct from f.value
        ) end)
{%- endmacro %}

{% macro spark__map_matches(dims, filters) -%}
(case when size({{ filters }}) > 0 then forall(
            map_keys({{ filters }}),
            k -> {{ dims }}[k] <=> {{ filters }}[k]
        ) end)
{%- endmacro %}

{#- A constant map from a dict, e.g. map_literal({'unit': 'PC'}) (unit-test fixtures). -#}
{% macro map_literal(entries) -%}
{{ return(adapter.dispatch('map_literal')(entries)) }}
{%- endmacro %}

{% macro default__map_literal(entries) -%}
map([{% for k in entries %}'{{ k }}'{{ ', ' if not loop.last }}{% endfor %}], [{% for k in entries %}'{{ entries[k] }}'{{ ', ' if not loop.last }}{% endfor %}])
{%- endmacro %}

{% macro postgres__map_literal(entries) -%}
jsonb_build_object({% for k in entries %}'{{ k }}', '{{ entries[k] }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro spark__map_literal(entries) -%}
map({% for k in entries %}'{{ k }}', '{{ entries[k] }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
