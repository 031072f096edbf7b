with

-- every API source of observations (Eurostat, and any other folder of pipelines/sources/
-- built on sources/observations.py: raw.observations holds exactly their datasets)
source as (
    select * from {{ source('raw', 'observations') }}
),

renamed as (
    select
        dataset,
        snapshot_id,
        dims,
        {{ series_key('dims') }} as series_key,
        geo,
        time as period,
        cast(left(time, 4) as integer) as period_year,
        value,
        coalesce(flags, '') as flags,
        -- the SDMX confidentiality status; null on rows loaded before it was read apart, whose
        -- flag c (the older files' only mark) stands for status C
        coalesce(
            conf_status,
            case when flags like '%c%' then 'C' else '' end
        ) as conf_status
    from source
)

select * from renamed
