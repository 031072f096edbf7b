-- For each target x geography: the base and latest observations the progress verdict uses.
-- A series break after the base year moves the base to the break year (the first comparable
-- value); the move is recorded in break_year so that no trend silently spans a break.
with

targets as (
    select * from {{ ref('dim_target') }}
),

indicators as (
    select indicator_id, direction as indicator_direction, unit as indicator_unit
    from {{ ref('dim_indicator') }}
),

settings as (
    select * from {{ ref('int_settings') }}
),

series as (
    select indicator_id, geo, period_year as year, value, flags, is_series_break
    from {{ ref('fct_indicator_values') }}
    where breakdown = 'total'
      and value is not null
      and period = cast(period_year as {{ dbt.type_string() }})
),

latest_data as (
    select indicator_id, geo, max(year) as latest_data_year
    from series
    group by indicator_id, geo
),

-- The years below come from joins with aggregates, not correlated subqueries (which
-- PostgreSQL and Spark would run once per target and row); (target_id, geo) is the key.
latest_years as (
    -- judged on the last value up to the target year once that year has passed
    select targets.target_id, targets.geo, max(s.year) as latest_year
    from targets
    inner join series as s
        on s.indicator_id = targets.indicator_id
        and s.geo = targets.geo
        and s.year <= coalesce(targets.target_year, 9999)
    group by targets.target_id, targets.geo
),

with_latest as (
    select
        targets.*,
        indicators.indicator_direction,
        indicators.indicator_unit,
        latest_data.latest_data_year,
        coalesce(latest_data.latest_data_year > targets.target_year, false) as target_year_passed,
        latest_years.latest_year,
        cast(coalesce(targets.base_year, settings.default_base_year) as integer) as requested_base_year
    from targets
    cross join settings
    left join indicators using (indicator_id)
    left join latest_data using (indicator_id, geo)
    left join latest_years
        on latest_years.target_id = targets.target_id and latest_years.geo = targets.geo
),

break_years as (
    select w.target_id, w.geo, max(s.year) as break_year
    from with_latest as w
    inner join series as s
        on s.indicator_id = w.indicator_id
        and s.geo = w.geo
        and s.is_series_break
        and s.year > w.requested_base_year
        and s.year <= w.latest_year
    group by w.target_id, w.geo
),

with_break as (
    select
        w.*,
        break_years.break_year
    from with_latest as w
    left join break_years on break_years.target_id = w.target_id and break_years.geo = w.geo
),

base_years as (
    select b.target_id, b.geo, min(s.year) as base_year_used
    from with_break as b
    inner join series as s
        on s.indicator_id = b.indicator_id
        and s.geo = b.geo
        and s.year >= coalesce(b.break_year, b.requested_base_year)
    group by b.target_id, b.geo
),

with_base as (
    select
        b.*,
        base_years.base_year_used
    from with_break as b
    left join base_years on base_years.target_id = b.target_id and base_years.geo = b.geo
),

points as (
    select b.target_id, b.geo, count(*) as points_used
    from with_base as b
    inner join series as s
        on s.indicator_id = b.indicator_id
        and s.geo = b.geo
        and s.year between b.base_year_used and b.latest_year
    group by b.target_id, b.geo
),

final as (
    select
        b.target_id,
        b.indicator_id,
        b.framework,
        b.kind,
        b.operator,
        b.target_value,
        b.unit,
        b.direction as target_direction,
        b.indicator_direction,
        b.target_year,
        b.target_year_passed,
        b.latest_data_year,
        b.base_year as target_base_year,
        b.applies_to,
        b.geo,
        b.citation,
        b.requested_base_year,
        b.break_year,
        b.base_year_used,
        base_obs.value as base_value,
        target_base_obs.value as target_base_value,
        b.latest_year,
        latest_obs.value as latest_value,
        latest_obs.flags as latest_flags,
        coalesce(points.points_used, 0) as points_used
    from with_base as b
    left join points on points.target_id = b.target_id and points.geo = b.geo
    left join series as base_obs
        on base_obs.indicator_id = b.indicator_id and base_obs.geo = b.geo and base_obs.year = b.base_year_used
    left join series as target_base_obs
        on target_base_obs.indicator_id = b.indicator_id and target_base_obs.geo = b.geo and target_base_obs.year = b.base_year
    left join series as latest_obs
        on latest_obs.indicator_id = b.indicator_id and latest_obs.geo = b.geo and latest_obs.year = b.latest_year
)

select * from final
