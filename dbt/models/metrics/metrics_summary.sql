{#-
  One compact row per year for printing: headcount flow against target,
  turnover, pay, participation and plan cost. Rates rounded to 4 places,
  money to cents.
-#}
select
    w.simulation_year,
    w.start_headcount,
    w.hires,
    w.terminations,
    w.end_headcount,
    w.target,
    w.has_shortfall,
    round(w.turnover_rate, 4)                       as turnover_rate,
    round(w.new_hire_termination_rate, 4)           as new_hire_termination_rate,
    c.total_prorated_compensation,
    c.average_salary,
    round(c.average_salary_growth, 4)               as average_salary_growth,
    round(p.participation_rate, 4)                  as participation_rate,
    round(p.average_deferral_rate, 4)               as average_deferral_rate,
    p.employee_contributions,
    p.employer_match,
    p.employer_core,
    p.employer_cost
from {{ ref('metrics_workforce_by_year') }} as w
join {{ ref('metrics_compensation_by_year') }} as c using (simulation_year)
join {{ ref('metrics_plan_by_year') }} as p using (simulation_year)
order by w.simulation_year
