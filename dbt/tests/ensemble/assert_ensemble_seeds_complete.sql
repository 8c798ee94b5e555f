-- Every scenario ran every seed: n_seeds of each distribution and of each
-- paired difference equals the seeds run (var expected_seeds when given,
-- else the number of distinct seeds in the events), and every scenario
-- has the same set of seeds.
{%- set expected = var('expected_seeds', none) %}
with seeds as (
    select {{ expected if expected else '(select count(distinct random_seed) from ' ~ ref('fct_replicate_metrics') ~ ')' }}::BIGINT as n
)
select 'distribution' as what, d.scenario_id, d.simulation_year, d.metric, d.n_seeds
from {{ ref('fct_metric_distributions') }} as d, seeds
where d.n_seeds <> seeds.n
union all
select 'difference', x.scenario_id, x.simulation_year, x.metric, x.n_seeds
from {{ ref('fct_scenario_differences') }} as x, seeds
where x.n_seeds <> seeds.n
union all
select 'seed missing', s.scenario_id, NULL, NULL, a.random_seed
from (select distinct scenario_id from {{ ref('fct_replicate_metrics') }}) as s
cross join (select distinct random_seed from {{ ref('fct_replicate_metrics') }}) as a
left join (select distinct scenario_id, random_seed from {{ ref('fct_replicate_metrics') }}) as r
  on r.scenario_id = s.scenario_id and r.random_seed = a.random_seed
where r.scenario_id is null
