select
    geo,
    name_nl,
    name_en,
    level,
    parent,
    is_eu_member,
    is_neighbour,
    is_nordic,
    is_historic
from {{ ref('stg_registry__geographies') }}
