-- The match never exceeds the design's maximum: plan compensation times
-- the largest rate its tiers can give (of any band), nor the
-- annual dollar cap (one cent of rounding allowed).
with d as (
    select * from {{ ref('int_replicate_plan_design') }}
),

max_rate as (
    select design_key, min_service_years, sum(rate_bp * (to_bp - from_bp))::DOUBLE / 100000000::DOUBLE as rate
    from {{ ref('int_plan_design_tiers') }}
    group by design_key, min_service_years
),

best as (
    select design_key, max(rate) as rate from max_rate group by design_key
)

select s.scenario_id, s.random_seed, s.employee_id, s.simulation_year, s.employer_match,
       s.plan_compensation, b.rate, d.match_max_dollars
from {{ ref('fct_workforce_snapshot') }} as s
join d using ({{ state_rep() }})
left join best as b on b.design_key = d.design_key
where s.employer_match > s.plan_compensation::DOUBLE * coalesce(b.rate, 0) + 0.01
   or s.employer_match > coalesce(d.match_max_dollars, s.employer_match)
