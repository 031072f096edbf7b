-- The frame of the gate's mart_microdata_gaps suite: the mart as published, plus what the
-- row's own figures say it should state, re-derived here (not by dbt):
--   gap_pp          = group_value - reference_value (rounded to 6 decimals); none when suppressed
--   gap_se          = sqrt(group_se^2 + reference_se^2) (the standard errors the test used)
--   95% interval    = gap_pp -/+ 1.959964 x gap_se; is_significant = |gap_pp| > 1.959964 x gap_se
--                     (none without gap_se: significance not assessed)
--   gap_size_change = |gap_pp| - |gap_pp_base|
--   gap_trend       = against 1.959964 x gap_change_se where there is one, else against the
--                     minimum detectable change; smaller: no_clear_change
-- `*_error` columns are absolute differences (0 when both sides are empty, 1 when only one
-- is); labels are compared as text ('none' = empty).
with

gaps as (
    select * from marts.mart_microdata_gaps
),

rederived as (
    select
        gaps.*,
        case when reliability <> 'suppressed' then round(group_value - reference_value, 6) end
            as gap_pp_rederived,
        case
            when reliability <> 'suppressed'
                then round(sqrt(group_se * group_se + reference_se * reference_se), 6)
        end as gap_se_rederived,
        round(gap_pp - 1.959964 * gap_se, 6) as gap_ci_low_rederived,
        round(gap_pp + 1.959964 * gap_se, 6) as gap_ci_high_rederived,
        round(abs(gap_pp) - abs(gap_pp_base), 6) as gap_size_change_rederived,
        coalesce(cast(is_significant as varchar), 'none') as is_significant_stated,
        coalesce(cast(abs(gap_pp) > 1.959964 * gap_se as varchar), 'none')
            as is_significant_rederived,
        coalesce(gap_trend, 'none') as gap_trend_stated,
        coalesce(
            case
                when gap_size_change is null then null
                when gap_change_se is not null and gap_size_change < -1.959964 * gap_change_se
                    then 'narrowing'
                when gap_change_se is not null and gap_size_change > 1.959964 * gap_change_se
                    then 'widening'
                when gap_change_se is not null then 'no_clear_change'
                when min_detectable_change_pp is null then null
                when gap_size_change < -min_detectable_change_pp then 'narrowing'
                when gap_size_change > min_detectable_change_pp then 'widening'
                else 'no_clear_change'
            end,
            'none'
        ) as gap_trend_rederived
    from gaps
),

final as (
    select
        rederived.*,
        case
            when gap_pp is null and gap_pp_rederived is null then 0
            when gap_pp is null or gap_pp_rederived is null then 1
            else abs(gap_pp - gap_pp_rederived)
        end as gap_pp_error,
        case
            when gap_se is null and gap_se_rederived is null then 0
            when gap_se is null or gap_se_rederived is null then 1
            else abs(gap_se - gap_se_rederived)
        end as gap_se_error,
        case
            when gap_ci_low is null and gap_ci_low_rederived is null then 0
            when gap_ci_low is null or gap_ci_low_rederived is null then 1
            else abs(gap_ci_low - gap_ci_low_rederived)
        end as gap_ci_low_error,
        case
            when gap_ci_high is null and gap_ci_high_rederived is null then 0
            when gap_ci_high is null or gap_ci_high_rederived is null then 1
            else abs(gap_ci_high - gap_ci_high_rederived)
        end as gap_ci_high_error,
        case
            when gap_size_change is null and gap_size_change_rederived is null then 0
            when gap_size_change is null or gap_size_change_rederived is null then 1
            else abs(gap_size_change - gap_size_change_rederived)
        end as gap_size_change_error
    from rederived
)

select * from final
