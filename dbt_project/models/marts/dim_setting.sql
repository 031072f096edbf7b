-- One row per numeric setting of config/monitor.yaml the marts use (progress thresholds,
-- benchmark cut-offs, gap and disclosure thresholds), published so the method is public.
with

settings as (
    select * from {{ ref('stg_registry__settings') }}
),

final as (
    select
        key,
        value
    from settings
)

select * from final
