-- A scenario whose configuration equals the baseline's but for its
-- scenario_id (var wfsim_scenarios), with the same plan design
-- (wfsim_plan_designs, macros/plan_design.sql), gets the same draws from the same
-- seeds (docs/model.md 0.1): every metric of every seed and year equals the
-- baseline's exactly, so every paired difference is 0. Returns each
-- value that differs (or is missing on one side).
-- The scenarios come from WFSIM_DBT_RUN_VARS, read only when the test runs
-- (macros/wfsim_var.sql), so dbt's parse does not see the refs below:
-- depends_on: {{ ref('int_replicate_metric_values') }}, {{ ref('fct_scenario_differences') }}
{%- set scenarios = state_scenarios() %}
{%- set twins = [] %}
{%- set designs = {} %}
{%- for key, d in plan_designs() %}{% do designs.update({key: d}) %}{% endfor %}
{%- if scenarios | length > 1 %}
  {%- set base = scenarios[0] %}
  {%- set base_design = designs.get(base['simulation']['scenario_id'], designs['*']) %}
  {%- for s in scenarios[1:] %}
    {%- set same = [] %}
    {%- for section, values in s.items() %}
      {%- for key, value in values.items() %}
        {%- if key != 'scenario_id' and (section not in base or base[section].get(key) != value) %}
          {%- do same.append(false) %}
        {%- endif %}
      {%- endfor %}
    {%- endfor %}
    {%- if designs.get(s['simulation']['scenario_id'], designs['*']) != base_design %}
      {%- do same.append(false) %}
    {%- endif %}
    {%- if same | length == 0 and s | length == base | length %}
      {%- do twins.append(s['simulation']['scenario_id']) %}
    {%- endif %}
  {%- endfor %}
{%- endif %}
{%- if twins | length > 0 %}
with v as (
    select * from {{ ref('int_replicate_metric_values') }}
),

twin_ids as (
    select unnest([{%- for t in twins %}{{ state_sql_string(t) }}{{ ', ' if not loop.last }}{% endfor %}]) as scenario_id
),

-- the baseline's values, once for each twin
b as (
    select i.scenario_id as twin_id, v.*
    from v
    cross join twin_ids as i
    where v.is_baseline
),

t as (
    select v.* from v join twin_ids using (scenario_id)
)

select coalesce(t.scenario_id, b.twin_id) as scenario_id,
       coalesce(t.random_seed, b.random_seed) as random_seed,
       coalesce(t.simulation_year, b.simulation_year) as simulation_year,
       coalesce(t.metric, b.metric) as metric, t.value, b.value as baseline_value
from t
full outer join b
  on b.twin_id = t.scenario_id and b.random_seed = t.random_seed
 and b.simulation_year = t.simulation_year and b.metric = t.metric
where t.value is distinct from b.value
union all
select scenario_id, NULL, simulation_year, metric, mean_diff, NULL
from {{ ref('fct_scenario_differences') }}
where scenario_id in ({%- for t in twins %}{{ state_sql_string(t) }}{{ ', ' if not loop.last }}{% endfor %})
  and (mean_diff <> 0 or p05 <> 0 or p50 <> 0 or p95 <> 0 or coalesce(sd_paired, 0) <> 0)
{%- else %}
select NULL as scenario_id where false
{%- endif %}
