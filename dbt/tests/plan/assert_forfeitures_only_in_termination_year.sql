-- Forfeitures arise only in the year the employee leaves.
select scenario_id, random_seed, employee_id, simulation_year, forfeitures
from {{ ref('fct_workforce_snapshot') }}
where forfeitures <> 0 and termination_date is null
