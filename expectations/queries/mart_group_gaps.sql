-- The frame of the gate's mart_group_gaps suite: the mart as published, plus what the row's
-- own figures say it should state, re-derived here (not by dbt):
--   gap_pp          = group_value - reference_value (percentage points, rounded to 6 decimals)
--   gap_ratio       = group_value / reference_value
--   gap_size_change = |gap_pp| - |gap_pp_base| (the gap of gap_base_year)
--   gap_trend       = not_comparable across a break; narrowing below -min_detectable_change_pp,
--                     widening above +min_detectable_change_pp, else no_clear_change (none
--                     without an earlier gap)
-- A suppressed cell states no gap. `*_error` columns are absolute differences (0 when both
-- sides are empty, 1 when only one is); the trends are compared as text ('none' = empty).
with

gaps as (
    select * from marts.mart_group_gaps
),

rederived as (
    select
        gaps.*,
        case when reliability <> 'suppressed' then round(group_value - reference_value, 6) end
            as gap_pp_rederived,
        case when reliability <> 'suppressed' then round(group_value / nullif(reference_value, 0), 6) end
            as gap_ratio_rederived,
        round(abs(gap_pp) - abs(gap_pp_base), 6) as gap_size_change_rederived
    from gaps
),

judged as (
    select
        rederived.*,
        coalesce(gap_trend, 'none') as gap_trend_stated,
        coalesce(
            case
                when gap_size_change is null then null
                when break_within_trend then 'not_comparable'
                when min_detectable_change_pp is null then null
                when gap_size_change < -min_detectable_change_pp then 'narrowing'
                when gap_size_change > min_detectable_change_pp then 'widening'
                else 'no_clear_change'
            end,
            'none'
        ) as gap_trend_rederived
    from rederived
),

final as (
    select
        judged.*,
        case
            when gap_pp is null and gap_pp_rederived is null then 0
            when gap_pp is null or gap_pp_rederived is null then 1
            else abs(gap_pp - gap_pp_rederived)
        end as gap_pp_error,
        case
            when gap_ratio is null and gap_ratio_rederived is null then 0
            when gap_ratio is null or gap_ratio_rederived is null then 1
            else abs(gap_ratio - gap_ratio_rederived)
        end as gap_ratio_error,
        case
            when gap_size_change is null and gap_size_change_rederived is null then 0
            when gap_size_change is null or gap_size_change_rederived is null then 1
            else abs(gap_size_change - gap_size_change_rederived)
        end as gap_size_change_error
    from judged
)

select * from final
