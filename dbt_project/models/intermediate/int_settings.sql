-- The numeric settings of config/monitor.yaml as one row (thresholds used by the marts).
with

settings as (
    select * from {{ ref('stg_registry__settings') }}
),

pivoted as (
    select
        max(value) filter (where key = 'progress.with_target.on_track') as target_on_track,
        max(value) filter (where key = 'progress.with_target.moderate') as target_moderate,
        max(value) filter (where key = 'progress.with_target.insufficient') as target_insufficient,
        max(value) filter (where key = 'progress.without_target.on_track') as direction_on_track,
        max(value) filter (where key = 'progress.without_target.moderate') as direction_moderate,
        max(value) filter (where key = 'progress.without_target.insufficient') as direction_insufficient,
        max(value) filter (where key = 'progress.default_base_year') as default_base_year,
        max(value) filter (where key = 'benchmark.cut_small') as cut_small,
        max(value) filter (where key = 'benchmark.cut_large') as cut_large,
        max(value) filter (where key = 'gaps.trend_years') as gap_trend_years
    from settings
)

select * from pivoted
