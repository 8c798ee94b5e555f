{#-
  One row per replicate (scenario_id, plan_design_id, random_seed) and
  year with the metrics an ensemble compares, as the metrics_* models
  define them (docs/dbt.md): year-end headcount against its target,
  hires, all terminations, average year-end salary, participation rate,
  average deferral rate of participants, employee contributions,
  employer match, core and cost (match + core), and of the plan design:
  forfeitures, net employer cost under the forfeiture policy, and whether
  the ADP and ACP tests passed (fct_ndt_results). has_shortfall carries
  int_workforce_needs' flag (a year with a quota not met need not end at
  target).

  With the var replicate_metrics_path (a Parquet file of this model's
  rows, written by the batches of a distributed ensemble, docs/scaling.md)
  the rows are read from it instead: the driver builds the distributions
  from the metrics the batches computed, without their events.
-#}
{%- set from_file = wfsim_var('replicate_metrics_path', '') %}
{%- if from_file %}
select * from read_parquet({{ state_sql_string(from_file) }})
{%- else %}
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
    p.employer_cost,
    p.forfeitures,
    p.net_employer_cost,
    adp.passed                                      as adp_passed,
    acp.passed                                      as acp_passed
from {{ ref('metrics_workforce_by_year') }} as w
join {{ ref('metrics_compensation_by_year') }} as c using ({{ state_rep() }}, simulation_year)
join {{ ref('metrics_plan_by_year') }} as p using ({{ state_rep() }}, simulation_year)
left join {{ ref('fct_ndt_results') }} as adp
  on adp.test = 'ADP' and adp.simulation_year = w.simulation_year
 and adp.scenario_id = w.scenario_id and adp.plan_design_id = w.plan_design_id
 and adp.random_seed = w.random_seed
left join {{ ref('fct_ndt_results') }} as acp
  on acp.test = 'ACP' and acp.simulation_year = w.simulation_year
 and acp.scenario_id = w.scenario_id and acp.plan_design_id = w.plan_design_id
 and acp.random_seed = w.random_seed
{%- endif %}
