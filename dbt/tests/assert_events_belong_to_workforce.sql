-- Every event is of an employee in the workforce of its year: a census
-- employee or a hire, from the start (or hire) year through the year of
-- the termination.
select e.employee_id, e.simulation_year, e.event_id, e.event_type
from {{ ref('stg_wfsim__events') }} as e
left join {{ ref('int_employee_years') }} as w using ({{ state_rep() }}, employee_id, simulation_year)
where w.employee_id is null
