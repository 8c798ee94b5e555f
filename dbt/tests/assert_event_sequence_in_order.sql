-- event_sequence numbers an employee's events of a year 1..n, in date
-- order (docs/model.md 5.1).
select {{ state_rep() }}, employee_id, simulation_year, event_sequence, event_date
from {{ ref('stg_wfsim__events') }}
qualify event_sequence <> row_number() over (
            partition by {{ state_rep() }}, employee_id, simulation_year order by event_date, event_sequence)
     or event_date < lag(event_date) over (
            partition by {{ state_rep() }}, employee_id, simulation_year order by event_sequence)
