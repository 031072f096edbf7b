with

indicators as (
    select * from {{ ref('stg_registry__indicators') }}
),

final as (
    select
        indicator_id,
        concept,
        name_nl,
        name_en,
        domain,
        definition_nl,
        definition_en,
        unit,
        direction,
        survey,
        reference_period,
        age_band,
        source,
        dataset,
        filters,
        derived_formula,
        derived_inputs,
        breakdowns,
        producer,
        licence,
        dataset_url,
        income_reference,
        plausible_min,
        plausible_max,
        max_yearly_change,
        method_notes_nl,
        method_notes_en
    from indicators
)

select * from final
