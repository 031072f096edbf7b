-- The selected observations of the vintage each dataset currently uses, with their delivery
-- label: the delivered row's own (delivered; sample = quoted from a cited document; synthetic
-- = invented), else, for a Eurostat file, synthetic for a SAMPLE snapshot and delivered
-- otherwise.
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
        observations.snapshot_id as input_snapshot_ids,
        coalesce(
            observations.row_data_label,
            case when snapshots.is_sample then 'synthetic' else 'delivered' end
        ) as data_label
    from observations
    inner join snapshots using (snapshot_id)
)

select * from final
