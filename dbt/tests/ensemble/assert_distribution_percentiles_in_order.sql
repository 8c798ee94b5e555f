-- p05 <= p10 <= p25 <= p50 <= p75 <= p90 <= p95 in every distribution
-- and every distribution of paired differences; and each mean lies
-- between the smallest and largest value of its replicates. (quantile_cont
-- interpolates in DOUBLE, so two equal order statistics may give
-- percentiles a rounding apart: 1e-9 relative is allowed.)
{%- set ps = ensemble_percentiles() %}
{%- for rel in ['fct_metric_distributions', 'fct_scenario_differences'] %}
select '{{ rel }}' as model, scenario_id, simulation_year, metric
from {{ ref(rel) }}
where
{%- for i in range(ps | length - 1) %}
    p{{ '%02d' % ps[i] }} > p{{ '%02d' % ps[i + 1] }} + 1e-9 * abs(p{{ '%02d' % ps[i + 1] }}){{ ' or' if not loop.last }}
{%- endfor %}
union all
{%- endfor %}
select 'mean outside the values', d.scenario_id, d.simulation_year, d.metric
from {{ ref('fct_metric_distributions') }} as d
join (
    select scenario_id, plan_design_id, simulation_year, metric,
           min(value) as lo, max(value) as hi
    from {{ ref('int_replicate_metric_values') }}
    group by all
) as v using (scenario_id, plan_design_id, simulation_year, metric)
where d.mean < v.lo - 1e-9 * abs(v.lo) or d.mean > v.hi + 1e-9 * abs(v.hi)
