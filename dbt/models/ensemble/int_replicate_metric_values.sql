{#-
  fct_replicate_metrics in long form: one row per replicate, year and
  metric (the names of ensemble_metric_names()), the value as DOUBLE
  (NULL where the metric is undefined, e.g. a participation rate with
  nobody eligible), and whether the replicate is the baseline scenario's.
  The distributions and differences aggregate this. With the var
  replicate_metrics_path (a distributed ensemble's driver) there are no
  events and so no int_replicates: is_baseline compares with the baseline's
  id (state_baseline_id, the first of wfsim_scenarios).
-#}
{%- set from_file = wfsim_var('replicate_metrics_path', '') %}
select
    {{ state_rep('v') }},
    v.simulation_year,
    v.metric,
    v.value,
    {%- if from_file %}
    v.scenario_id = {{ state_sql_string(state_baseline_id()) }} as is_baseline
    {%- else %}
    r.is_baseline
    {%- endif %}
from (
    select
        {{ state_rep() }},
        simulation_year,
        {%- for m in ensemble_metric_names() %}
        {{ m }}::DOUBLE as {{ m }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('fct_replicate_metrics') }}
)
unpivot include nulls (value for metric in ({{ ensemble_metric_names() | join(', ') }})) as v
{%- if not from_file %}
join {{ ref('int_replicates') }} as r using ({{ state_rep() }})
{%- endif %}
