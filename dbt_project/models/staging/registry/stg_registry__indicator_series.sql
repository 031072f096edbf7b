with

source as (
    select * from {{ source('registry', 'indicator_series') }}
),

renamed as (
    select
        indicator_id,
        dataset,
        breakdown,
        category,
        label_nl,
        label_en,
        {{ map_from_lists('filter_keys', 'filter_values') }} as filters
    from source
)

select * from renamed
