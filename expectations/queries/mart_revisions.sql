-- The frame of the gate's mart_revisions suite: the mart as published, plus each revision
-- re-derived from the two values the row states: revision = current_value - previous_value.
with

revisions as (
    select * from marts.mart_revisions
),

final as (
    select
        revisions.*,
        case
            when revision is null and round(current_value - previous_value, 6) is null then 0
            when revision is null or round(current_value - previous_value, 6) is null then 1
            else abs(revision - round(current_value - previous_value, 6))
        end as revision_error
    from revisions
)

select * from final
