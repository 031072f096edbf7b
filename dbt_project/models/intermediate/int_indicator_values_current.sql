-- The selected observations of the vintage each dataset currently uses.
with

observations as (
    select * from {{ ref('int_indicator_observations') }}
),

snapshots as (
    select * from {{ ref('stg_raw__snapshots') }}
    where is_current
),

final as (
    select
        observations.*,
        observations.snapshot_id as input_snapshot_ids
    from observations
    inner join snapshots using (snapshot_id)
)

select * from final
