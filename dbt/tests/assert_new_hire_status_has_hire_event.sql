-- A new-hire status (new_hire_active, new_hire_termination) only with a
-- hire event that year, and every hire event gives such a status.
with hires as (
    select {{ state_rep() }}, employee_id, simulation_year
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'hire'
),

snap as (
    select {{ state_rep() }}, employee_id, simulation_year, status_code
    from {{ ref('fct_workforce_snapshot') }}
    where status_code in ('new_hire_active', 'new_hire_termination')
)

select coalesce(s.employee_id, h.employee_id) as employee_id,
       coalesce(s.simulation_year, h.simulation_year) as simulation_year,
       s.status_code
from snap as s
full outer join hires as h using ({{ state_rep() }}, employee_id, simulation_year)
where s.employee_id is null or h.employee_id is null
