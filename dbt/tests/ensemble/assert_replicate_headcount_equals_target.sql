-- docs/model.md 4.1 in every replicate: a year without a shortfall ends at its
-- target exactly.
select scenario_id, plan_design_id, random_seed, simulation_year, headcount_end, target
from {{ ref('fct_replicate_metrics') }}
where not has_shortfall
  and headcount_end <> target
