-- Provenance of every vintage used by the current build, joined to its dataset's metadata.
with

snapshots as (
    select * from {{ ref('stg_raw__snapshots') }}
    where is_current
),

datasets as (
    select * from {{ ref('stg_registry__datasets') }}
),

final as (
    select
        snapshots.snapshot_id,
        snapshots.source,
        snapshots.dataset,
        datasets.title as dataset_title,
        datasets.producer,
        datasets.licence,
        datasets.url as dataset_url,
        snapshots.mode,
        snapshots.is_sample,
        snapshots.origin,
        snapshots.file,
        snapshots.retrieved_at,
        snapshots.sha256,
        snapshots.bytes,
        snapshots.format,
        snapshots.last_update,
        snapshots.observations
    from snapshots
    left join datasets using (dataset)
)

select * from final
