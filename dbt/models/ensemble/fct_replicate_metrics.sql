{#-
  One row per replicate (scenario_id, plan_design_id, random_seed) and
  year with the metrics an ensemble compares, as the metrics_* models
  define them (docs/dbt.md): year-end headcount against its target,
  hires, all terminations, average year-end salary, participation rate,
  average deferral rate of participants, employee contributions,
  employer match, core and cost (match + core). has_shortfall carries
  int_workforce_needs' flag (a year with a quota not met need not end at
  target).
-#}
select
    {{ state_rep('w') }},
    w.simulation_year,
    w.end_headcount                                 as headcount_end,
    w.target,
    w.has_shortfall,
    w.hires,
    w.terminations,
    c.average_salary                                as avg_salary,
    p.participation_rate,
    p.average_deferral_rate                         as avg_deferral_rate,
    p.employee_contributions,
    p.employer_match,
    p.employer_core,
    p.employer_cost
from {{ ref('metrics_workforce_by_year') }} as w
join {{ ref('metrics_compensation_by_year') }} as c using ({{ state_rep() }}, simulation_year)
join {{ ref('metrics_plan_by_year') }} as p using ({{ state_rep() }}, simulation_year)
