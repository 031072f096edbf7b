-- One row per source dataset in the registry: producer, survey, licence, link, coverage
-- notes, and the vintage the current build uses.
with

datasets as (
    select * from {{ ref('stg_registry__datasets') }}
),

current_snapshots as (
    select
        dataset,
        snapshot_id,
        mode,
        is_sample,
        retrieved_at,
        last_update
    from {{ ref('stg_raw__snapshots') }}
    where is_current
),

indicators as (
    select
        dataset,
        count(*) as indicator_count,
        {{ string_agg_sorted('indicator_id', "', '") }} as indicator_ids
    from {{ ref('stg_registry__indicators') }}
    where dataset is not null
    group by dataset
),

final as (
    select
        datasets.dataset,
        datasets.source,
        datasets.title,
        datasets.producer,
        datasets.producer_nl,
        datasets.producer_en,
        datasets.survey,
        datasets.frequency,
        datasets.income_reference,
        datasets.licence,
        datasets.licence_nl,
        datasets.licence_en,
        datasets.url,
        datasets.dimensions,
        datasets.freshness_days,
        coalesce(indicators.indicator_count, 0) as indicator_count,
        indicators.indicator_ids,
        current_snapshots.snapshot_id as current_snapshot_id,
        current_snapshots.mode as current_mode,
        current_snapshots.is_sample as current_is_sample,
        current_snapshots.retrieved_at as current_retrieved_at,
        current_snapshots.last_update as current_last_update
    from datasets
    left join indicators using (dataset)
    left join current_snapshots using (dataset)
)

select * from final
