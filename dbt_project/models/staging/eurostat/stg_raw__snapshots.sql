-- Provenance of every stored vintage: Eurostat datasets and spreadsheet deliveries alike.
{%- set columns = [
    'snapshot_id', 'source', 'dataset', 'mode', 'is_sample', 'origin', 'file', 'retrieved_at',
    'sha256', 'bytes', 'format', 'last_update', 'observations', 'loaded_at', 'is_current',
] %}
with

eurostat as (
    select {{ columns | join(', ') }} from {{ source('raw', 'snapshots') }}
),

deliveries as (
    select {{ columns | join(', ') }} from {{ source('raw', 'delivery_snapshots') }}
),

unioned as (
    select * from eurostat
    union all
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
