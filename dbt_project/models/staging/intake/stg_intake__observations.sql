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
        data_label,
        -- a delivery marks a confidential cell with the flag c only
        case when flags like '%c%' then 'C' else '' end as conf_status
    from source
)

select * from renamed
