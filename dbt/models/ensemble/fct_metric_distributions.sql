{#-
  Per scenario, plan design, year and metric: the distribution of the
  metric over the seeds. n_seeds counts the replicates (seeds) of the
  scenario; mean and sd (sample standard deviation, NULL for one seed)
  and the percentiles (quantile_cont: linear interpolation between order
  statistics) skip replicates where the metric is undefined.
-#}
select
    scenario_id,
    plan_design_id,
    simulation_year,
    metric,
    count(distinct random_seed)                     as n_seeds,
    avg(value)                                      as mean,
    stddev_samp(value)                              as sd,
    {%- for p in ensemble_percentiles() %}
    quantile_cont(value, {{ p / 100 }})             as p{{ '%02d' % p }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ ref('int_replicate_metric_values') }}
group by scenario_id, plan_design_id, simulation_year, metric
