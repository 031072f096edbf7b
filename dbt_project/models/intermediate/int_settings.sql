-- The numeric settings of config/monitor.yaml as one row (thresholds used by the marts).
-- One single-key selection per column, cross-joined: a key missing from the settings gives
-- no row and a duplicated key several, so the one-row test fails instead of a null threshold
-- silently changing verdicts.
{%- set columns = [
    ('target_on_track', 'progress.with_target.on_track'),
    ('target_moderate', 'progress.with_target.moderate'),
    ('target_insufficient', 'progress.with_target.insufficient'),
    ('direction_on_track', 'progress.without_target.on_track'),
    ('direction_moderate', 'progress.without_target.moderate'),
    ('direction_insufficient', 'progress.without_target.insufficient'),
    ('default_base_year', 'progress.default_base_year'),
    ('min_points', 'progress.min_points'),
    ('cut_small', 'benchmark.cut_small'),
    ('cut_large', 'benchmark.cut_large'),
    ('gap_trend_years', 'gaps.trend_years'),
] %}
with

settings as (
    select * from {{ ref('stg_registry__settings') }}
),

final as (
    select
    {%- for column, key in columns %}
        {{ column }}.value as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
    {%- for column, key in columns %}
    {{ "from" if loop.first else "cross join" }} (select value from settings where key = '{{ key }}') as {{ column }}
    {%- endfor %}
)

select * from final
