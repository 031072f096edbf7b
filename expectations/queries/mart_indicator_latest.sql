-- The frame of the gate's mart_indicator_latest suite: the mart as published, plus each
-- change re-derived from the two values the row states (not by dbt):
--   change_since_previous = latest_value - previous_value; change_5y = latest_value - value_5y_earlier
-- `*_error` columns are absolute differences (0 when both sides are empty, 1 when only one is).
with

latest as (
    select * from marts.mart_indicator_latest
),

rederived as (
    select
        latest.*,
        round(latest_value - previous_value, 6) as change_since_previous_rederived,
        round(latest_value - value_5y_earlier, 6) as change_5y_rederived
    from latest
),

final as (
    select
        rederived.*,
        case
            when change_since_previous is null and change_since_previous_rederived is null then 0
            when change_since_previous is null or change_since_previous_rederived is null then 1
            else abs(change_since_previous - change_since_previous_rederived)
        end as change_since_previous_error,
        case
            when change_5y is null and change_5y_rederived is null then 0
            when change_5y is null or change_5y_rederived is null then 1
            else abs(change_5y - change_5y_rederived)
        end as change_5y_error
    from rederived
)

select * from final
