{#-
  P(metric > threshold) per scenario, plan design, year and metric, for
  the thresholds of the var wfsim_thresholds: a list parallel to
  wfsim_scenarios, each a mapping metric -> threshold (`wfsim ensemble`
  passes each scenario's `thresholds` section, docs/config.md, else the
  baseline's). n_above counts the seeds whose value is above the
  threshold (an undefined value is not above); probability = n_above /
  n_seeds. Empty when no threshold is given.
-#}
{%- set scenarios = state_scenarios() -%}
{%- set thresholds = var('wfsim_thresholds', []) -%}
with thresholds as (
{%- set ns = namespace(n=0) %}
{%- for i in range(thresholds | length) if i < scenarios | length %}
  {%- for metric, value in thresholds[i].items() %}
    {%- if metric not in ensemble_metric_names() and execute %}
      {{ exceptions.raise_compiler_error("wfsim_thresholds: unknown metric '" ~ metric ~ "'") }}
    {%- endif %}
    {{ 'union all ' if ns.n > 0 }}select {{ state_sql_string(scenarios[i]['simulation']['scenario_id']) }} as scenario_id,
           {{ state_sql_string(metric) }} as metric, {{ value }}::DOUBLE as threshold
    {%- set ns.n = ns.n + 1 %}
  {%- endfor %}
{%- endfor %}
{%- if ns.n == 0 %}
    select NULL::VARCHAR as scenario_id, NULL::VARCHAR as metric, NULL::DOUBLE as threshold
    where false
{%- endif %}
)

select
    v.scenario_id,
    v.plan_design_id,
    v.simulation_year,
    v.metric,
    t.threshold,
    count(distinct v.random_seed)                               as n_seeds,
    count(*) filter (where v.value > t.threshold)               as n_above,
    (count(*) filter (where v.value > t.threshold))::DOUBLE
        / count(distinct v.random_seed)::DOUBLE                 as probability
from {{ ref('int_replicate_metric_values') }} as v
join thresholds as t using (scenario_id, metric)
group by v.scenario_id, v.plan_design_id, v.simulation_year, v.metric, t.threshold
