-- The thresholds table must hold exactly one row (config/monitor.yaml loaded once).
select count(*) as n
from {{ ref('int_settings') }}
having count(*) <> 1
