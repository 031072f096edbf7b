-- "How much of the training budget is demand-driven?": per year and financing mode, the
-- budget inside the ~1.3 bn euro and its share; items outside it in their own rows.
with

instruments as (
    select * from {{ ref('mart_training_instruments') }}
),

grouped as (
    select
        year,
        case when inside_1_3bn then financing_mode else 'outside_1_3bn' end as financing_group,
        sum(budget_eur) as budget_eur,
        count(*) as instruments,
        count(budget_eur) as instruments_with_budget,
        {{ string_agg_sorted('instrument', "', '") }} as instrument_codes,
        bool_or(is_estimate) as includes_estimate,
        bool_or(is_sample) as is_sample,
        max(year_inside_budget_eur) as year_inside_budget_eur
    from instruments
    group by 1, 2
),

final as (
    select
        year,
        financing_group,
        -- null when no instrument of the group states a budget (HO): unknown, not zero
        budget_eur,
        case when financing_group <> 'outside_1_3bn'
            then budget_eur / nullif(year_inside_budget_eur, 0) end as share_of_inside_budget,
        year_inside_budget_eur,
        instruments,
        instruments_with_budget,
        instrument_codes,
        includes_estimate,
        is_sample
    from grouped
)

select * from final
