select * from {{ source('registry', 'gaps') }}
