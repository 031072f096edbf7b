-- The minimum detectable change in a gap's size (percentage points) for every survey and
-- geography level, from config/monitor.yaml gaps.min_detectable_change_pp: the survey's own
-- value, else the `default` one for that level (docs/microdata.md, "Gap trends").
with

settings as (
    select key, value from {{ ref('stg_registry__settings') }}
),

surveys as (
    select distinct survey from {{ ref('stg_registry__indicators') }}
    union
    -- the microdata cells (mart_microdata_gaps) are LFS-like
    select 'EU-LFS' as survey
),

levels as (
    select distinct level as geo_level from {{ ref('stg_registry__geographies') }}
),

final as (
    select
        surveys.survey,
        levels.geo_level,
        coalesce(specific.value, fallback.value) as min_detectable_change_pp,
        case when specific.value is not null then surveys.survey else 'default' end
            as min_detectable_change_source
    from surveys
    cross join levels
    left join settings as specific
        on specific.key = 'gaps.min_detectable_change_pp.' || surveys.survey || '.' || levels.geo_level
    left join settings as fallback
        on fallback.key = 'gaps.min_detectable_change_pp.default.' || levels.geo_level
)

select * from final
