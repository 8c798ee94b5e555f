{#-
  Per scenario (other than the baseline), year and metric: the paired
  differences scenario - baseline, seed by seed (common random numbers:
  the same seed gives both the same draws, so the difference is the
  effect of the parameters). n_seeds counts the pairs; mean_diff and the
  percentiles are those of the per-seed differences; sd_paired is their
  standard deviation; sd_unpaired = sqrt(sd_scenario^2 + sd_baseline^2)
  is what the standard deviation of a difference between independent
  runs would be. sd_ratio = sd_unpaired / sd_paired is the reduction the
  common random numbers buy (NULL when sd_paired is 0 or undefined).
-#}
with v as (
    select * from {{ ref('int_replicate_metric_values') }}
),

pairs as (
    select
        s.scenario_id,
        b.scenario_id                               as baseline_scenario_id,
        s.simulation_year,
        s.metric,
        s.random_seed,
        s.value - b.value                           as diff
    from v as s
    join v as b
      on b.is_baseline and not s.is_baseline
     and b.random_seed = s.random_seed
     and b.simulation_year = s.simulation_year
     and b.metric = s.metric
),

paired as (
    select
        scenario_id,
        baseline_scenario_id,
        simulation_year,
        metric,
        count(*)                                    as n_seeds,
        avg(diff)                                   as mean_diff,
        stddev_samp(diff)                           as sd_paired,
        {%- for p in ensemble_percentiles() %}
        quantile_cont(diff, {{ p / 100 }})          as p{{ '%02d' % p }}{{ ',' if not loop.last }}
        {%- endfor %}
    from pairs
    group by scenario_id, baseline_scenario_id, simulation_year, metric
),

sds as (
    select scenario_id, simulation_year, metric, stddev_samp(value) as sd
    from v
    group by scenario_id, simulation_year, metric
)

select
    p.scenario_id,
    p.baseline_scenario_id,
    p.simulation_year,
    p.metric,
    p.n_seeds,
    p.mean_diff,
    p.sd_paired,
    sqrt(s.sd * s.sd + b.sd * b.sd)                 as sd_unpaired,
    sqrt(s.sd * s.sd + b.sd * b.sd) / nullif(p.sd_paired, 0)
                                                    as sd_ratio,
    {%- for p in ensemble_percentiles() %}
    p.p{{ '%02d' % p }}{{ ',' if not loop.last }}
    {%- endfor %}
from paired as p
join sds as s on s.scenario_id = p.scenario_id and s.simulation_year = p.simulation_year
             and s.metric = p.metric
join sds as b on b.scenario_id = p.baseline_scenario_id and b.simulation_year = p.simulation_year
             and b.metric = p.metric
