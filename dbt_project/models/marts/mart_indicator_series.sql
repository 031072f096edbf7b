-- Full series for charts and downloads: every value with its names, flags and vintage; a
-- confidential cell (no value) keeps its confidentiality status so the report can say so.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

indicators as (
    select indicator_id, name_nl, name_en, domain from {{ ref('dim_indicator') }}
),

geos as (
    select geo, name_nl as geo_name_nl, name_en as geo_name_en, level as geo_level
    from {{ ref('dim_geo') }}
),

final as (
    select
        indicator_values.indicator_id,
        indicators.name_nl,
        indicators.name_en,
        indicators.domain,
        indicator_values.geo,
        geos.geo_name_nl,
        geos.geo_name_en,
        geos.geo_level,
        indicator_values.breakdown,
        indicator_values.category,
        indicator_values.category_nl,
        indicator_values.category_en,
        indicator_values.period,
        indicator_values.period_year,
        indicator_values.income_year,
        indicator_values.value,
        indicator_values.unit,
        indicator_values.flags,
        indicator_values.conf_status,
        indicator_values.is_confidential,
        indicator_values.value_status,
        indicator_values.is_provisional,
        indicator_values.is_estimated,
        indicator_values.is_low_reliability,
        indicator_values.is_series_break,
        indicator_values.dataset,
        indicator_values.snapshot_id,
        indicator_values.retrieved_at as vintage_retrieved_at,
        indicator_values.is_sample,
        indicator_values.data_label
    from indicator_values
    inner join indicators using (indicator_id)
    inner join geos using (geo)
)

select * from final
