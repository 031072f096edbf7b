select * from {{ source('registry', 'geographies') }}
