with

source as (
    select * from {{ source('raw', 'delivery_observations') }}
),

renamed as (
    select
        dataset,
        snapshot_id,
        dims,
        {{ series_key('dims') }} as series_key,
        geo,
        time as period,
        cast(time as integer) as period_year,
        value,
        coalesce(flags, '') as flags,
        data_label
    from source
)

select * from renamed
