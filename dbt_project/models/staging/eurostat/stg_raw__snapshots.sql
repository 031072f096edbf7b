with

source as (
    select * from {{ source('raw', 'snapshots') }}
),

renamed as (
    select
        snapshot_id,
        source,
        dataset,
        mode,
        is_sample,
        origin,
        file,
        retrieved_at,
        sha256,
        bytes,
        format,
        last_update,
        observations,
        loaded_at,
        is_current
    from source
)

select * from renamed
