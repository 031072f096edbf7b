{#- Numbers made explicit: an 8-byte float on every engine (dbt.type_float() is a 4-byte
    float on DuckDB and Spark), and rounding of such a float. -#}

{% macro type_double() -%}
{{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
double
{%- endmacro %}

{% macro postgres__type_double() -%}
double precision
{%- endmacro %}

{#- round(x, digits) of a double, as DuckDB rounds it: the exact binary value, half away from
    zero (round(0.6234375, 6) = 0.623437, since that double is 0.62343749999999997...).
    PostgreSQL rounds only numeric, and both its float-to-numeric cast and Spark's round go
    through a short decimal text, which rounds such a tie up. So both compute it in double
    arithmetic, exactly: with M = 2 * 10^digits, |x| * M = p + err exactly (Dekker's product,
    Veltkamp's split), h = p / 2, and the integer part of h goes up when the rest of h is
    above one half, or exactly one half and err >= 0; the result is that integer / 10^digits.
    |x| >= 2^52 / 10^digits (already whole at that scale), NaN and infinity stay as they are. -#}
{% macro round_double(x, digits) -%}
{{ return(adapter.dispatch('round_double')(x, digits)) }}
{%- endmacro %}

{% macro default__round_double(x, digits) -%}
round({{ x }}, {{ digits }})
{%- endmacro %}

{#- The expression of round_double in terms of a double `v`, for an engine's binding. -#}
{% macro exact_round_of(v, digits) -%}
{%- set d = type_double() -%}
{%- set m = 'cast(' ~ (2 * 10 ** digits) ~ ' as ' ~ d ~ ')' -%}
{%- set a = 'abs(' ~ v ~ ')' -%}
{%- set p = '(' ~ a ~ ' * ' ~ m ~ ')' -%}
{%- set c = '(' ~ a ~ ' * cast(134217729 as ' ~ d ~ '))' -%}
{%- set a_hi = '(' ~ c ~ ' - (' ~ c ~ ' - ' ~ a ~ '))' -%}
{%- set err = '((' ~ a_hi ~ ' * ' ~ m ~ ' - ' ~ p ~ ') + (' ~ a ~ ' - ' ~ a_hi ~ ') * ' ~ m ~ ')' -%}
{%- set h = '(' ~ p ~ ' / 2)' -%}
{%- set rest = '(' ~ h ~ ' - floor(' ~ h ~ '))' -%}
case
    when not ({{ a }} < cast({{ 2 ** 52 }} as {{ d }}) / {{ 10 ** digits }}) then {{ v }}
    else sign({{ v }}) * (floor({{ h }}) + case when {{ rest }} > 0.5 or ({{ rest }} = 0.5 and {{ err }} >= 0) then 1 else 0 end)
        / cast({{ 10 ** digits }} as {{ d }})
end
{%- endmacro %}

{% macro postgres__round_double(x, digits) -%}
(select {{ exact_round_of('r.v', digits) }} from (select cast({{ x }} as double precision) as v) as r)
{%- endmacro %}

{% macro spark__round_double(x, digits) -%}
transform(array(cast({{ x }} as double)), v -> {{ exact_round_of('v', digits) }})[0]
{%- endmacro %}
