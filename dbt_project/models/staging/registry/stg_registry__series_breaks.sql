select * from {{ source('registry', 'series_breaks') }}
