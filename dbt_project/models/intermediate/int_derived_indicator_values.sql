-- Derived indicators (registry `derived:`), e.g. gender employment gap = men - women; with
-- `by_breakdown` also per category of that breakdown (tightness by education level).
with

inputs as (
    select * from {{ ref('stg_registry__derived_inputs') }}
),

base as (
    select * from {{ ref('int_indicator_values_current') }}
),

indicator_geos as (
    select * from {{ ref('stg_registry__indicator_geographies') }}
),

input_values as (
    select
        inputs.indicator_id,
        inputs.formula,
        inputs.position,
        inputs.scale,
        coalesce(inputs.output_breakdown, 'total') as output_breakdown,
        coalesce(inputs.output_category, 'total') as output_category,
        coalesce(inputs.output_category_nl, 'totaal') as output_category_nl,
        coalesce(inputs.output_category_en, 'total') as output_category_en,
        base.geo,
        base.period,
        base.period_year,
        base.value * inputs.scale as value,
        base.flags,
        base.conf_status,
        base.dataset,
        base.snapshot_id,
        base.data_label
    from inputs
    inner join base
        on base.indicator_id = inputs.input_indicator
        and base.breakdown = inputs.input_breakdown
        and base.category = inputs.input_category
),

first_input as (
    select * from input_values where position = 1
),

second_input as (
    select * from input_values where position = 2
),

combined as (
    select
        first_input.indicator_id,
        first_input.output_breakdown as breakdown,
        first_input.output_category as category,
        first_input.output_category_nl as category_nl,
        first_input.output_category_en as category_en,
        first_input.geo,
        first_input.period,
        first_input.period_year,
        case first_input.formula
            when 'difference' then first_input.value - second_input.value
            when 'ratio' then first_input.value / nullif(second_input.value, 0)
            when 'product' then first_input.value * second_input.value
        end as value,
        {{ merge_flags('first_input.flags', 'second_input.flags') }} as flags,
        -- confidential when an input is (its status; the first input's when both are)
        case
            when coalesce(first_input.conf_status, '') not in ('', 'F') then first_input.conf_status
            when coalesce(second_input.conf_status, '') not in ('', 'F') then second_input.conf_status
            else ''
        end as conf_status,
        first_input.dataset,
        first_input.snapshot_id,
        case
            when first_input.snapshot_id = second_input.snapshot_id then first_input.snapshot_id
            else first_input.snapshot_id || ',' || second_input.snapshot_id
        end as input_snapshot_ids,
        -- a figure derived from an invented or a quoted one is labelled as such
        case
            when 'synthetic' in (first_input.data_label, second_input.data_label) then 'synthetic'
            when 'sample' in (first_input.data_label, second_input.data_label) then 'sample'
            else 'delivered'
        end as data_label
    from first_input
    inner join second_input using (indicator_id, output_breakdown, output_category, geo, period)
    inner join indicator_geos
        on indicator_geos.indicator_id = first_input.indicator_id
        and indicator_geos.geo = first_input.geo
)

select * from combined
