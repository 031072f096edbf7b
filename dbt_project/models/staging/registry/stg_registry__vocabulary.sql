select * from {{ source('registry', 'vocabulary') }}
