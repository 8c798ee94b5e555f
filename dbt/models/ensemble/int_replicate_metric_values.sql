{#-
  fct_replicate_metrics in long form: one row per replicate, year and
  metric (the names of ensemble_metric_names()), the value as DOUBLE
  (NULL where the metric is undefined, e.g. a participation rate with
  nobody eligible), and whether the replicate is the baseline scenario's.
  The distributions and differences aggregate this.
-#}
select
    {{ state_rep('v') }},
    v.simulation_year,
    v.metric,
    v.value,
    r.is_baseline
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
join {{ ref('int_replicates') }} as r using ({{ state_rep() }})
