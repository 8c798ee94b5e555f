-- docs/model.md 5.1: every event belongs to the partition of its date's year.
select simulation_year, employee_id, event_id, event_date
from {{ ref('stg_wfsim__events') }}
where year(event_date) <> simulation_year
