{#- The column's values are codes of the vocabulary list `list_name` (registry/vocabulary.yaml,
    loaded as stg_registry__vocabulary): the accepted values come from the vocabulary, never
    from a second copy here. `without`: codes of the list this column never holds;
    `empty_allowed`: '' stands for "none" (e.g. no confidentiality status). A row per value
    outside the list fails; so does a `without` code the list does not have (a stale yml). -#}
{% test in_vocabulary(model, column_name, list_name, without=[], empty_allowed=false) %}
with

vocabulary as (
    select code from {{ ref('stg_registry__vocabulary') }}
    where list_name = '{{ list_name }}'
),

allowed as (
    select code from vocabulary
    {% if without %}
    where code not in ({% for code in without %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {% endif %}
),

outside as (
    select cast({{ column_name }} as {{ dbt.type_string() }}) as problem
    from {{ model }}
    where {{ column_name }} is not null
        {% if empty_allowed %}and {{ column_name }} <> ''{% endif %}
        and cast({{ column_name }} as {{ dbt.type_string() }}) not in (select code from allowed)
)

select problem from outside
{% for code in without %}
union all
select 'without names {{ code }}, not a code of {{ list_name }}' as problem
from (select count(*) as n from vocabulary where code = '{{ code }}') listed
where listed.n = 0
{% endfor %}
{% endtest %}
