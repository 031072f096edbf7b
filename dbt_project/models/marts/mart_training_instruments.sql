-- The training regiekamer: each instrument's budget, users and financing mode beside the
-- year's totals inside the ~1.3 bn euro of public training money (supply, demand, mixed).
-- Items outside the 1.3 bn (sectoral funds, training vouchers, ...) are kept and flagged but
-- never counted in the inside totals; a mixed instrument (VDAB) is neither supply nor demand.
with

instruments as (
    select * from {{ ref('stg_partner__training_instruments') }}
),

snapshots as (
    select snapshot_id, is_sample, retrieved_at, sha256
    from {{ ref('stg_raw__snapshots') }}
    where is_current and dataset = 'training_instruments'
),

current_rows as (
    select instruments.*, snapshots.is_sample, snapshots.retrieved_at, snapshots.sha256
    from instruments
    inner join snapshots using (snapshot_id)
),

year_totals as (
    select
        year,
        sum(budget_eur) filter (where inside_1_3bn) as year_inside_budget_eur,
        sum(budget_eur) filter (where inside_1_3bn and financing_mode = 'supply') as year_supply_budget_eur,
        sum(budget_eur) filter (where inside_1_3bn and financing_mode = 'demand') as year_demand_budget_eur,
        sum(budget_eur) filter (where inside_1_3bn and financing_mode = 'mixed') as year_mixed_budget_eur,
        sum(budget_eur) filter (where inside_1_3bn and financing_mode = 'not_stated') as year_not_stated_budget_eur,
        sum(budget_eur) filter (where not inside_1_3bn) as year_outside_budget_eur,
        count(*) filter (where inside_1_3bn and budget_eur is null) as year_inside_without_budget
    from current_rows
    group by year
),

final as (
    select
        r.instrument,
        r.year,
        r.policy_domain,
        r.financing_mode,
        r.budget_eur,
        r.participants,
        r.participant_unit,
        {{ round_double("r.budget_eur / nullif(r.participants, 0)", 2) }} as budget_per_participant_eur,
        case when r.inside_1_3bn then r.budget_eur / nullif(t.year_inside_budget_eur, 0) end
            as share_of_inside_budget,
        r.inside_1_3bn,
        not r.inside_1_3bn as is_outside_1_3bn,
        r.is_estimate,
        r.estimate_assumption,
        r.target_group,
        t.year_inside_budget_eur,
        coalesce(t.year_supply_budget_eur, 0) as year_supply_budget_eur,
        coalesce(t.year_demand_budget_eur, 0) as year_demand_budget_eur,
        coalesce(t.year_mixed_budget_eur, 0) as year_mixed_budget_eur,
        coalesce(t.year_not_stated_budget_eur, 0) as year_not_stated_budget_eur,
        coalesce(t.year_outside_budget_eur, 0) as year_outside_budget_eur,
        coalesce(t.year_demand_budget_eur, 0) / nullif(t.year_inside_budget_eur, 0)
            as year_demand_share,
        (coalesce(t.year_demand_budget_eur, 0) + coalesce(t.year_mixed_budget_eur, 0))
            / nullif(t.year_inside_budget_eur, 0) as year_demand_share_incl_mixed,
        t.year_inside_without_budget,
        r.data_label,
        r.source_citation,
        r.note,
        r.snapshot_id,
        r.source_row,
        r.retrieved_at,
        r.sha256 as snapshot_sha256,
        r.is_sample
    from current_rows as r
    inner join year_totals as t using (year)
)

select * from final
