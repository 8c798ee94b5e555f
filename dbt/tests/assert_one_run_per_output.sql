-- One output folder holds one run: a single scenario_id, plan_design_id
-- and random_seed across every event (mixing runs would corrupt the state).
select count(distinct scenario_id) as scenarios,
       count(distinct plan_design_id) as plans,
       count(distinct random_seed) as seeds
from {{ ref('stg_wfsim__events') }}
having count(distinct scenario_id) > 1
    or count(distinct plan_design_id) > 1
    or count(distinct random_seed) > 1
