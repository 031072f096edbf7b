-- Where each indicator stands per geography: latest value, the one before, five years back.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where breakdown = 'total'
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

observed as (
    select
        indicator_values.*,
        row_number() over (partition by indicator_id, geo order by period desc nulls last) as recency
    from indicator_values
    where value is not null
),

latest as (
    select * from observed where recency = 1
),

previous as (
    select indicator_id, geo, period, period_year, value
    from observed
    where recency = 2
),

breaks as (
    select indicator_id, geo, period_year
    from indicator_values
    where is_series_break
),

-- series breaks up to the latest year (a join, not correlated subqueries, which PostgreSQL
-- and Spark would run once per row)
recent_breaks as (
    select
        latest.indicator_id,
        latest.geo,
        bool_or(breaks.period_year > previous.period_year) as break_since_previous,
        bool_or(breaks.period_year > latest.period_year - 5) as break_within_5y
    from latest
    left join previous using (indicator_id, geo)
    inner join breaks
        on breaks.indicator_id = latest.indicator_id
        and breaks.geo = latest.geo
        and breaks.period_year <= latest.period_year
    group by latest.indicator_id, latest.geo
),

final as (
    select
        latest.indicator_id,
        latest.geo,
        indicators.name_nl,
        indicators.name_en,
        indicators.domain,
        indicators.unit,
        indicators.direction,
        indicators.source,
        latest.dataset,
        latest.period as latest_period,
        latest.value as latest_value,
        latest.flags as latest_flags,
        previous.period as previous_period,
        previous.value as previous_value,
        {{ round_double("latest.value - previous.value", 6) }} as change_since_previous,
        five_back.period as period_5y_earlier,
        five_back.value as value_5y_earlier,
        {{ round_double("latest.value - five_back.value", 6) }} as change_5y,
        latest.is_provisional,
        latest.is_estimated,
        latest.is_low_reliability,
        latest.is_series_break,
        coalesce(recent_breaks.break_since_previous, false) as break_since_previous,
        coalesce(recent_breaks.break_within_5y, false) as break_within_5y,
        latest.snapshot_id,
        latest.retrieved_at,
        latest.is_sample
    from latest
    inner join indicators using (indicator_id)
    left join previous using (indicator_id, geo)
    left join recent_breaks using (indicator_id, geo)
    left join observed as five_back
        on five_back.indicator_id = latest.indicator_id
        and five_back.geo = latest.geo
        and five_back.period_year = latest.period_year - 5
        and five_back.period = cast(five_back.period_year as {{ dbt.type_string() }})
)

select * from final
