-- Gaps between a group and its reference (registry `gaps`): women vs men, 55-64 vs 20-64,
-- low-educated vs all, born outside the EU vs native-born. A cell flagged `u` makes the gap
-- low_reliability; a cell without a value (confidential, suppressed by the producer) gives no
-- gap. (Respondent counts exist only for microdata cells, whose thresholds are applied before
-- the warehouse: mart_microdata_gaps.)
-- Trend: gap_size_change = |gap| - |gap trend_years earlier|; 'narrowing' when it is below
-- -min_detectable_change_pp, 'widening' above +min_detectable_change_pp, otherwise
-- 'no_clear_change'; 'not_comparable' across a series break. The minimum detectable change
-- depends on the survey and the geography level (int_gap_min_detectable_change).
with

gaps as (
    select * from {{ ref('stg_registry__gaps') }}
),

settings as (
    select * from {{ ref('int_settings') }}
),

indicators as (
    select indicator_id, survey from {{ ref('stg_registry__indicators') }}
),

geographies as (
    select geo, level as geo_level from {{ ref('stg_registry__geographies') }}
),

detectable as (
    select * from {{ ref('int_gap_min_detectable_change') }}
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where period = cast(period_year as {{ dbt.type_string() }})
),

cells as (
    select
        gaps.indicator_id,
        gaps.breakdown,
        gaps.group_category,
        gaps.reference_category,
        role.role,
        indicator_values.geo,
        indicator_values.period_year as year,
        indicator_values.value,
        indicator_values.flags,
        indicator_values.value_status,
        indicator_values.is_low_reliability,
        indicator_values.is_series_break,
        indicator_values.is_sample,
        indicator_values.data_label
    from gaps
    cross join (select 'group' as role union all select 'reference') as role
    inner join indicator_values
        on indicator_values.indicator_id = gaps.indicator_id
        and (
            (case when role.role = 'group' then gaps.group_category else gaps.reference_category end) = 'total'
                and indicator_values.breakdown = 'total'
            or indicator_values.breakdown = gaps.breakdown
                and indicator_values.category = (case when role.role = 'group' then gaps.group_category else gaps.reference_category end)
        )
),

paired as (
    select
        g.indicator_id,
        g.breakdown,
        g.group_category,
        g.reference_category,
        g.geo,
        g.year,
        g.value as group_value,
        r.value as reference_value,
        g.flags as group_flags,
        r.flags as reference_flags,
        g.value_status as group_status,
        r.value_status as reference_status,
        g.is_series_break or r.is_series_break as is_series_break,
        g.is_sample or r.is_sample as is_sample,
        case
            when 'synthetic' in (g.data_label, r.data_label) then 'synthetic'
            when 'sample' in (g.data_label, r.data_label) then 'sample'
            else 'delivered'
        end as data_label,
        case
            when g.value is null or r.value is null then 'suppressed'
            when g.is_low_reliability or r.is_low_reliability then 'low_reliability'
            else 'reliable'
        end as reliability
    from cells as g
    inner join cells as r
        on r.indicator_id = g.indicator_id
        and r.breakdown = g.breakdown
        and r.group_category = g.group_category
        and r.reference_category = g.reference_category
        and r.geo = g.geo
        and r.year = g.year
        and r.role = 'reference'
    where g.role = 'group'
),

measured as (
    select
        paired.*,
        case when reliability <> 'suppressed' then {{ round_double("group_value - reference_value", 6) }} end as gap_pp,
        case when reliability <> 'suppressed' then {{ round_double("group_value / nullif(reference_value, 0)", 6) }} end as gap_ratio
    from paired
),

-- a series break within the trend years up to each year (a join, not a correlated
-- subquery, which PostgreSQL and Spark would run once per row)
recent_breaks as (
    select
        m.indicator_id, m.breakdown, m.group_category, m.reference_category, m.geo, m.year,
        true as has_break
    from measured as m
    cross join settings
    inner join measured as b
        on b.indicator_id = m.indicator_id and b.breakdown = m.breakdown
        and b.group_category = m.group_category and b.reference_category = m.reference_category
        and b.geo = m.geo and b.is_series_break
        and b.year > m.year - settings.gap_trend_years and b.year <= m.year
    group by m.indicator_id, m.breakdown, m.group_category, m.reference_category, m.geo, m.year
),

trended as (
    select
        m.*,
        earlier.year as gap_base_year,
        earlier.gap_pp as gap_pp_base,
        {{ round_double("abs(m.gap_pp) - abs(earlier.gap_pp)", 6) }} as gap_size_change,
        (earlier.year is not null and recent_breaks.has_break is not null) as break_within_trend,
        detectable.min_detectable_change_pp,
        detectable.min_detectable_change_source
    from measured as m
    cross join settings
    -- joins on, not using: Spark puts a using join's columns first in `m.*`
    inner join indicators on indicators.indicator_id = m.indicator_id
    left join geographies on geographies.geo = m.geo
    left join detectable
        on detectable.survey = indicators.survey
        and detectable.geo_level = geographies.geo_level
    left join measured as earlier
        on earlier.indicator_id = m.indicator_id
        and earlier.breakdown = m.breakdown
        and earlier.group_category = m.group_category
        and earlier.reference_category = m.reference_category
        and earlier.geo = m.geo
        and earlier.year = m.year - settings.gap_trend_years
    left join recent_breaks
        on recent_breaks.indicator_id = m.indicator_id
        and recent_breaks.breakdown = m.breakdown
        and recent_breaks.group_category = m.group_category
        and recent_breaks.reference_category = m.reference_category
        and recent_breaks.geo = m.geo
        and recent_breaks.year = m.year
),

final as (
    select
        trended.*,
        case when gap_size_change is not null then 'min_detectable_change' end as trend_basis,
        case
            when gap_size_change is null then null
            when break_within_trend then 'not_comparable'
            when min_detectable_change_pp is null then null
            when gap_size_change < -min_detectable_change_pp then 'narrowing'
            when gap_size_change > min_detectable_change_pp then 'widening'
            else 'no_clear_change'
        end as gap_trend
    from trended
)

select * from final
