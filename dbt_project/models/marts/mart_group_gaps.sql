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

values as (
    select * from {{ ref('fct_indicator_values') }}
    where period = cast(period_year as varchar)
),

cells as (
    select
        gaps.indicator_id,
        gaps.breakdown,
        gaps.group_category,
        gaps.reference_category,
        role.role,
        values.geo,
        values.period_year as year,
        values.value,
        values.flags,
        values.value_status,
        values.is_low_reliability,
        values.is_series_break,
        values.is_sample,
        values.data_label
    from gaps
    cross join (select 'group' as role union all select 'reference') as role
    inner join values
        on values.indicator_id = gaps.indicator_id
        and (
            (case when role.role = 'group' then gaps.group_category else gaps.reference_category end) = 'total'
                and values.breakdown = 'total'
            or values.breakdown = gaps.breakdown
                and values.category = (case when role.role = 'group' then gaps.group_category else gaps.reference_category end)
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
        case when reliability <> 'suppressed' then round(group_value - reference_value, 6) end as gap_pp,
        case when reliability <> 'suppressed' then round(group_value / nullif(reference_value, 0), 6) end as gap_ratio
    from paired
),

trended as (
    select
        m.*,
        earlier.year as gap_base_year,
        earlier.gap_pp as gap_pp_base,
        round(abs(m.gap_pp) - abs(earlier.gap_pp), 6) as gap_size_change,
        exists (
            select 1 from measured as b
            where b.indicator_id = m.indicator_id and b.breakdown = m.breakdown
              and b.group_category = m.group_category and b.reference_category = m.reference_category
              and b.geo = m.geo and b.is_series_break
              and b.year > earlier.year and b.year <= m.year
        ) as break_within_trend,
        detectable.min_detectable_change_pp,
        detectable.min_detectable_change_source
    from measured as m
    cross join settings
    inner join indicators using (indicator_id)
    left join geographies using (geo)
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
