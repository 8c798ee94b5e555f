-- Annual additions (deferrals other than catch-up, match and core) stay
-- within 415(c): the dollar limit and 100 % of plan compensation.
select s.scenario_id, s.random_seed, s.employee_id, s.simulation_year, s.annual_additions
from {{ ref('fct_workforce_snapshot') }} as s
join {{ ref('int_plan_limits') }} as l using (simulation_year)
where s.annual_additions > l.annual_additions_limit
   or s.annual_additions > s.plan_compensation
   or s.annual_additions <> s.employee_contributions - s.catch_up_contributions
                            + s.employer_match + s.employer_core
