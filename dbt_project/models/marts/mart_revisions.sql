-- What changed between the vintage in use and the vintage before it (same origin: live vs
-- live, sample vs sample), per dataset: revised values, new values, removed values, changed
-- flags. Eurostat keeps no vintages; these come from our own snapshots.
with

snapshots as (
    select * from {{ ref('stg_raw__snapshots') }}
),

observations as (
    select * from {{ ref('stg_eurostat__observations') }}
),

series as (
    select * from {{ ref('stg_registry__indicator_series') }}
),

current_vintage as (
    select dataset, snapshot_id, mode, retrieved_at
    from snapshots
    where is_current
),

earlier_vintages as (
    select
        snapshots.dataset,
        snapshots.snapshot_id,
        snapshots.retrieved_at,
        row_number() over (
            partition by snapshots.dataset order by snapshots.retrieved_at desc nulls last
        ) as recency
    from snapshots
    inner join current_vintage
        on current_vintage.dataset = snapshots.dataset
        and current_vintage.mode = snapshots.mode
        and snapshots.retrieved_at < current_vintage.retrieved_at
),

previous_vintage as (
    select dataset, snapshot_id, retrieved_at
    from earlier_vintages
    where recency = 1
),

new_values as (
    select observations.*
    from observations
    inner join current_vintage using (dataset, snapshot_id)
),

old_values as (
    select observations.*
    from observations
    inner join previous_vintage using (dataset, snapshot_id)
),

compared as (
    select
        coalesce(n.dataset, o.dataset) as dataset,
        coalesce(n.series_key, o.series_key) as series_key,
        coalesce(n.dims, o.dims) as dims,
        coalesce(n.geo, o.geo) as geo,
        coalesce(n.period, o.period) as period,
        o.value as previous_value,
        n.value as current_value,
        o.flags as previous_flags,
        n.flags as current_flags,
        o.snapshot_id as previous_snapshot_id,
        n.snapshot_id as current_snapshot_id
    from new_values as n
    full outer join old_values as o
        on o.dataset = n.dataset
        and o.series_key = n.series_key
        and o.geo = n.geo
        and o.period = n.period
),

changed as (
    select
        compared.*,
        case
            when previous_snapshot_id is null or (previous_value is null and current_value is not null) then 'new_value'
            when current_snapshot_id is null or (current_value is null and previous_value is not null) then 'removed_value'
            when previous_value is distinct from current_value then 'revised_value'
            else 'flags_changed'
        end as revision_kind,
        {{ round_double("current_value - previous_value", 6) }} as revision
    from compared
    where previous_value is distinct from current_value
       or coalesce(previous_flags, '') is distinct from coalesce(current_flags, '')
),

-- the registry series each changed cell belongs to (a join: Spark cannot correlate a
-- subquery on a map column)
matched_indicators as (
    select
        changed.dataset,
        changed.series_key,
        changed.geo,
        changed.period,
        {{ string_agg_sorted('series.indicator_id', "','", distinct=true) }} as indicator_ids
    from changed
    inner join series
        on series.dataset = changed.dataset
        and {{ map_matches('changed.dims', 'series.filters') }}
    group by changed.dataset, changed.series_key, changed.geo, changed.period
),

with_indicators as (
    select
        changed.*,
        matched_indicators.indicator_ids
    from changed
    left join matched_indicators using (dataset, series_key, geo, period)
),

final as (
    select
        with_indicators.dataset,
        with_indicators.series_key,
        with_indicators.geo,
        with_indicators.period,
        with_indicators.revision_kind,
        with_indicators.previous_value,
        with_indicators.current_value,
        with_indicators.revision,
        with_indicators.previous_flags,
        with_indicators.current_flags,
        with_indicators.indicator_ids,
        with_indicators.previous_snapshot_id,
        with_indicators.current_snapshot_id,
        previous_vintage.retrieved_at as previous_retrieved_at,
        current_vintage.retrieved_at as current_retrieved_at
    from with_indicators
    inner join current_vintage using (dataset)
    inner join previous_vintage using (dataset)
)

select * from final
