-- Full series for charts and downloads: every value with its names, flags and vintage; a
-- confidential cell (no value) keeps its confidentiality status so the report can say so.
with

values as (
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
        values.indicator_id,
        indicators.name_nl,
        indicators.name_en,
        indicators.domain,
        values.geo,
        geos.geo_name_nl,
        geos.geo_name_en,
        geos.geo_level,
        values.breakdown,
        values.category,
        values.category_nl,
        values.category_en,
        values.period,
        values.period_year,
        values.income_year,
        values.value,
        values.unit,
        values.flags,
        values.conf_status,
        values.is_confidential,
        values.value_status,
        values.is_provisional,
        values.is_estimated,
        values.is_low_reliability,
        values.is_series_break,
        values.dataset,
        values.snapshot_id,
        values.retrieved_at as vintage_retrieved_at,
        values.is_sample,
        values.data_label
    from values
    inner join indicators using (indicator_id)
    inner join geos using (geo)
)

select * from final
