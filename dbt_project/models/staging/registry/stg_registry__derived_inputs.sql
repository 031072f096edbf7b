select * from {{ source('registry', 'derived_inputs') }}
