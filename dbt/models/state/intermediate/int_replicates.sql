{#-
  One row per replicate (scenario_id, plan_design_id, random_seed) found
  in the events, with the few settings of its scenario that the state
  models need (docs/model.md 2.2): from its entry in the var wfsim_scenarios
  (matched by scenario_id), else from wfsim_config, else the defaults.
  is_baseline marks the baseline scenario (state_baseline_id: the first
  of wfsim_scenarios; with none given, the smallest scenario_id).
-#}
{%- set scenarios = state_scenarios() -%}
{%- set baseline = state_baseline_id() -%}
{%- set keys = [('eligibility', 'minimum_age'), ('eligibility', 'waiting_period_days'),
                ('workforce', 'target_growth_rate_ppm'), ('workforce', 'termination_rate_ppm'),
                ('workforce', 'new_hire_termination_rate_ppm'), ('auto_escalation', 'cap_bp')] -%}
with replicates as (
    select distinct {{ state_rep() }}
    from {{ ref('stg_wfsim__events') }}
),

configured as (
{%- if scenarios | length > 0 %}
    select * from (values
    {%- for s in scenarios %}
        ({{ state_sql_string(s['simulation']['scenario_id']) }}
        {%- for sec, key in keys %}, {{ state_scenario_cfg(s, sec, key) }}::BIGINT{% endfor %}){{ ',' if not loop.last }}
    {%- endfor %}
    ) as t(scenario_id{% for sec, key in keys %}, {{ key }}{% endfor %})
{%- else %}
    select NULL::VARCHAR as scenario_id{% for sec, key in keys %}, NULL::BIGINT as {{ key }}{% endfor %}
    where false
{%- endif %}
)

select
    r.scenario_id,
    r.plan_design_id,
    r.random_seed,
{%- if baseline %}
    r.scenario_id = {{ state_sql_string(baseline) }}                    as is_baseline,
{%- else %}
    r.scenario_id = min(r.scenario_id) over ()                          as is_baseline,
{%- endif %}
{%- for sec, key in keys %}
    coalesce(c.{{ key }}, {{ state_cfg(sec, key) }})::BIGINT            as {{ key }}{{ ',' if not loop.last }}
{%- endfor %}
from replicates as r
left join configured as c using (scenario_id)
