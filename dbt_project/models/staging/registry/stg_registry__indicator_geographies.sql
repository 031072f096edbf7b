select * from {{ source('registry', 'indicator_geographies') }}
