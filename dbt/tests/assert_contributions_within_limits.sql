-- Contributions never exceed the 402(g) limit (+ catch-up at 50), pay
-- never exceeds the 401(a)(17) limit, and nothing is negative or paid for
-- days not employed.
select s.employee_id, s.simulation_year, s.employee_contributions, s.deferral_limit,
       s.plan_compensation, l.compensation_limit, s.days_employed
from {{ ref('fct_workforce_snapshot') }} as s
join {{ ref('int_plan_limits') }} as l using (simulation_year)
where s.employee_contributions > s.deferral_limit
   or s.plan_compensation > l.compensation_limit
   or s.plan_compensation > s.prorated_compensation
   or s.employee_contributions < 0 or s.employer_match < 0 or s.employer_core < 0
   or s.days_employed < 0 or s.days_employed > 366
   or (s.days_employed = 0 and (s.prorated_compensation <> 0 or s.employee_contributions <> 0))
   or s.employee_contributions > s.prorated_compensation
