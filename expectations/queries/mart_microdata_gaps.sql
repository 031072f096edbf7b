-- The frame of the gate's mart_microdata_gaps suite: the mart as published, plus each gap
-- re-derived from the two estimates the row states (not by dbt):
--   gap_pp = group_value - reference_value (rounded to 6 decimals); none when suppressed.
with

gaps as (
    select * from marts.mart_microdata_gaps
),

rederived as (
    select
        gaps.*,
        case when reliability <> 'suppressed' then round(group_value - reference_value, 6) end
            as gap_pp_rederived
    from gaps
),

final as (
    select
        rederived.*,
        case
            when gap_pp is null and gap_pp_rederived is null then 0
            when gap_pp is null or gap_pp_rederived is null then 1
            else abs(gap_pp - gap_pp_rederived)
        end as gap_pp_error
    from rederived
)

select * from final
