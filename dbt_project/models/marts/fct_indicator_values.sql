-- The published fact table: current vintage only, with provenance and flags on every row.
-- is_confidential: the producer's confidentiality status marks the cell as not for
-- publication (any code but F; the older files' flag c reads as C); such a cell has no value.
with

base_values as (
    select * from {{ ref('int_indicator_values_current') }}
),

derived_values as (
    select * from {{ ref('int_derived_indicator_values') }}
),

snapshots as (
    select * from {{ ref('stg_raw__snapshots') }}
    where is_current
),

indicators as (
    select * from {{ ref('stg_registry__indicators') }}
),

breaks as (
    select * from {{ ref('stg_registry__series_breaks') }}
),

current_values as (
    select
        indicator_id, breakdown, category, category_nl, category_en, geo, period,
        period_year, value, flags, conf_status, dataset, snapshot_id, input_snapshot_ids, data_label
    from base_values
    union all
    select
        indicator_id, breakdown, category, category_nl, category_en, geo, period,
        period_year, value, flags, conf_status, dataset, snapshot_id, input_snapshot_ids, data_label
    from derived_values
),

final as (
    select
        v.indicator_id,
        v.geo,
        v.period,
        v.period_year,
        case when i.income_reference = 'previous_year' then v.period_year - 1 else v.period_year end
            as income_year,
        v.breakdown,
        v.category,
        v.category_nl,
        v.category_en,
        v.value,
        i.unit,
        v.flags,
        coalesce(v.conf_status, '') as conf_status,
        coalesce(v.conf_status, '') not in ('', 'F') as is_confidential,
        case
            when coalesce(v.conf_status, '') not in ('', 'F') then 'confidential'
            when v.value is not null then 'observed'
            when v.flags like '%z%' then 'not_applicable'
            when v.flags like '%u%' then 'unreliable_suppressed'
            else 'not_available'
        end as value_status,
        v.flags like '%p%' as is_provisional,
        (v.flags like '%e%' or v.flags like '%s%') as is_estimated,
        v.flags like '%u%' as is_low_reliability,
        (
            v.flags like '%b%'
            or exists (
                select 1 from breaks
                where breaks.indicator_id = v.indicator_id
                  and breaks.period = v.period
                  and breaks.geo in (v.geo, '*')
            )
        ) as is_series_break,
        v.flags like '%d%' as is_definition_differs,
        i.source,
        v.dataset,
        v.snapshot_id,
        v.input_snapshot_ids,
        s.retrieved_at,
        s.sha256 as snapshot_sha256,
        s.mode as snapshot_mode,
        s.is_sample,
        v.data_label
    from current_values as v
    inner join indicators as i using (indicator_id)
    inner join snapshots as s using (snapshot_id)
)

select * from final
