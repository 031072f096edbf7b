-- Provenance of every stored vintage: Eurostat datasets and spreadsheet deliveries alike.
with

eurostat as (
    select * from {{ source('raw', 'snapshots') }}
),

deliveries as (
    select * from {{ source('raw', 'delivery_snapshots') }}
),

unioned as (
    select * from eurostat
    union all by name
    select * from deliveries
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
    from unioned
)

select * from renamed
