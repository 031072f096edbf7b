-- One row per closed-list code with its Dutch and English label (registry/vocabulary.yaml):
-- verdicts, benchmark classes, flags, units, domains, frameworks, reference periods,
-- financing modes, reason codes ... Codes in the marts are looked up here, never translated.
with

vocabulary as (
    select * from {{ ref('stg_registry__vocabulary') }}
),

final as (
    select
        list_name,
        code,
        position,
        label_nl,
        label_en,
        short_nl,
        short_en,
        help_nl,
        help_en
    from vocabulary
)

select * from final
