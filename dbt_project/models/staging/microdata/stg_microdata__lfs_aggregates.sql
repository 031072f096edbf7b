with

source as (
    select * from {{ source('raw', 'microdata__lfs_aggregates') }}
),

renamed as (
    select
        indicator_id,
        cast(year as integer) as year,
        geo,
        breakdown,
        category,
        n_unweighted,
        weighted_population,
        value,
        standard_error,
        ci_low,
        ci_high,
        deff_kish,
        variance_method,
        significance_method,
        status,
        suppression_rule,
        is_low_reliability,
        is_suppressed,
        source_file,
        source_sha256,
        is_synthetic,
        computed_at
    from source
)

select * from renamed
