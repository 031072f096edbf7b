-- The frame of the gate's mart_group_gaps suite: the mart as published, plus each gap
-- re-derived from the two values the row states (not by dbt):
--   gap_pp    = group_value - reference_value (percentage points, rounded to 6 decimals)
--   gap_ratio = group_value / reference_value
-- A suppressed cell states no gap. `*_error` columns are absolute differences (0 when both
-- sides are empty, 1 when only one is).
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
            as gap_ratio_rederived
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
            when gap_ratio is null and gap_ratio_rederived is null then 0
            when gap_ratio is null or gap_ratio_rederived is null then 1
            else abs(gap_ratio - gap_ratio_rederived)
        end as gap_ratio_error
    from rederived
)

select * from final
