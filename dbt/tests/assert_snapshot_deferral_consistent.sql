-- In the rebuilt snapshot, deferral rates are in [0, 1] and an employee
-- is enrolled exactly when the rate is above 0 (an opt-out sets 0).
select employee_id, simulation_year, deferral_rate, is_enrolled
from {{ ref('fct_workforce_snapshot') }}
where deferral_rate < 0 or deferral_rate > 1
   or is_enrolled <> (deferral_rate > 0)
