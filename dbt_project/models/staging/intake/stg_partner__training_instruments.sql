with

source as (
    select * from {{ source('raw', 'partner__training_instruments') }}
),

renamed as (
    select
        snapshot_id,
        row_number as source_row,
        instrument,
        year,
        policy_domain,
        financing_mode,
        budget_eur,
        participants,
        participant_unit,
        target_group,
        inside_1_3bn,
        is_estimate,
        estimate_assumption,
        data_label,
        source_citation,
        note
    from source
)

select * from renamed
