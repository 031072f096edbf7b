-- Observations selected for each registry indicator series, every loaded vintage (Eurostat
-- datasets and spreadsheet deliveries alike).
with

observations as (
    -- a Eurostat file has no label per row: its snapshot's mode decides (int_indicator_values_current)
    select dataset, snapshot_id, dims, geo, period, period_year, value, flags, conf_status,
        cast(null as varchar) as row_data_label
    from {{ ref('stg_eurostat__observations') }}
    union all
    select dataset, snapshot_id, dims, geo, period, period_year, value, flags, conf_status,
        data_label as row_data_label
    from {{ ref('stg_intake__observations') }}
),

series as (
    select * from {{ ref('stg_registry__indicator_series') }}
),

indicator_geos as (
    select * from {{ ref('stg_registry__indicator_geographies') }}
),

matched as (
    select
        series.indicator_id,
        series.breakdown,
        series.category,
        series.label_nl as category_nl,
        series.label_en as category_en,
        observations.geo,
        observations.period,
        observations.period_year,
        observations.value,
        observations.flags,
        observations.conf_status,
        observations.dataset,
        observations.snapshot_id,
        observations.row_data_label
    from observations
    inner join series
        on series.dataset = observations.dataset
        and list_bool_and(list_transform(
            map_keys(series.filters),
            lambda k: observations.dims[k] is not distinct from series.filters[k]
        ))
    inner join indicator_geos
        on indicator_geos.indicator_id = series.indicator_id
        and indicator_geos.geo = observations.geo
)

select * from matched
