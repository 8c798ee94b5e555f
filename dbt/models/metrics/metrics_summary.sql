{#-
  One compact row per replicate and year for printing (`wfsim run` prints
  it, without the replicate key), with column names of at most 13
  characters:

  year, start_hc, hires, terms (all terminations), end_hc, target;
  turnover (terms / start_hc); avg_salary (year-end salary of those active
  on December 31) and salary_growth (against the year before);
  participation (participating / eligible actives) and avg_deferral (mean
  rate of participants); ee_contrib (employee contributions) and er_cost
  (employer match + core), after IRS limits. Rates rounded to 4 places.
  The definitions are those of the metrics_* models it reads.

  With the var summary_csv set, a post-hook also writes the table there as
  CSV with a header row.
-#}
{{ config(post_hook="{{ state_export_summary_csv(this) }}") }}
select
    {{ state_rep('w') }},
    w.simulation_year                               as year,
    w.start_headcount                               as start_hc,
    w.hires                                         as hires,
    w.terminations                                  as terms,
    w.end_headcount                                 as end_hc,
    w.target                                        as target,
    round(w.turnover_rate, 4)                       as turnover,
    c.average_salary                                as avg_salary,
    round(c.average_salary_growth, 4)               as salary_growth,
    round(p.participation_rate, 4)                  as participation,
    round(p.average_deferral_rate, 4)               as avg_deferral,
    p.employee_contributions                        as ee_contrib,
    p.employer_cost                                 as er_cost
from {{ ref('metrics_workforce_by_year') }} as w
join {{ ref('metrics_compensation_by_year') }} as c using ({{ state_rep() }}, simulation_year)
join {{ ref('metrics_plan_by_year') }} as p using ({{ state_rep() }}, simulation_year)
order by {{ state_rep('w') }}, w.simulation_year
