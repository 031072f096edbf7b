select * from {{ source('registry', 'settings') }}
