select * from {{ source('registry', 'datasets') }}
