select
    target_id,
    indicator_id,
    framework,
    kind,
    operator,
    target_value,
    unit,
    direction,
    target_year,
    base_year,
    applies_to,
    geo,
    citation,
    note
from {{ ref('stg_registry__targets') }}
