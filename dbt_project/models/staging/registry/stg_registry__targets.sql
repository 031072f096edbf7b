select * from {{ source('registry', 'targets') }}
