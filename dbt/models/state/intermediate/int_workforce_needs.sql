{#-
  docs/model.md 4.1 per year: what the state shows (N, P, X, hires, retirements,
  terminations, year-end headcount) next to what the model asked for
  (target, Q, Te, net, H, Tnh). The asked-for figures come from the
  engine's generation_summary.json when there is one (figures_source
  'generation_summary'); otherwise they are recomputed here in integers
  from N, P, the retirements R that happened and the workforce rates of
  replicate's scenario (int_replicates), exactly as 4.1 writes them
  (figures_source 'recomputed'). One row per replicate and year.

  A shortfall is a quota not met: fewer hires than H, fewer experienced
  terminations than Te, or fewer new-hire terminations than Tnh (or the
  summary's own shortfall counts). Without one, the year ends at target.
-#}
{%- set g = 'target_growth_rate_ppm' -%}
{%- set te_rate = 'termination_rate_ppm' -%}
{%- set tnh_rate = 'new_hire_termination_rate_ppm' -%}
with st as (
    select * from {{ ref('int_employee_year_end_state') }}
),

observed as (
    select
        {{ state_rep() }},
        simulation_year,
        count(*) filter (where not is_new_hire)                                        as n,
        count(*) filter (where not is_new_hire and year(hire_date) = simulation_year - 1)
                                                                                        as p,
        count(*) filter (where is_new_hire)                                            as hires,
        count(*) filter (where termination_category = 'retirement')                    as retirements,
        count(*) filter (where termination_category = 'experienced_termination')       as experienced_terminations,
        count(*) filter (where termination_category = 'new_hire_termination')          as new_hire_terminations,
        count(*) filter (where termination_date is null)                               as end_headcount
    from st
    group by {{ state_rep() }}, simulation_year
),

years as (
    select
        {{ state_rep('rep') }},
        rep.{{ g }}, rep.{{ te_rate }}, rep.{{ tnh_rate }},
        y.simulation_year,
        coalesce(o.n, 0)                        as n,
        coalesce(o.p, 0)                        as p,
        coalesce(o.hires, 0)                    as hires,
        coalesce(o.retirements, 0)              as retirements,
        coalesce(o.experienced_terminations, 0) as experienced_terminations,
        coalesce(o.new_hire_terminations, 0)    as new_hire_terminations,
        coalesce(o.end_headcount, 0)            as end_headcount
    from {{ ref('int_simulation_years') }} as y
    cross join {{ ref('int_replicates') }} as rep
    left join observed as o using ({{ state_rep() }}, simulation_year)
),

recomputed as (
    select
        {{ state_rep() }}, {{ tnh_rate }},
        simulation_year,
        n::HUGEINT as n, p::HUGEINT as p, (n - p)::HUGEINT as x,
        ((n::HUGEINT * (1000000 + {{ g }}) + 500000) // 1000000)                       as target,
        retirements::HUGEINT                                                            as r,
        (((n - p)::HUGEINT * {{ te_rate }} + p::HUGEINT * {{ tnh_rate }}) // 1000000)   as q
    from years
),

recomputed_2 as (
    select *, greatest(0, q - r) as te0
    from recomputed
),

recomputed_3 as (
    select *, target - (n - r - te0) as net
    from recomputed_2
),

recomputed_final as (
    select
        {{ state_rep() }},
        simulation_year, n, p, x, target, r, q, net,
        case when net > 0 then te0 else least(n - r, te0 - net) end                     as te,
        case when net > 0
             then (net * 1000000 + (1000000 - {{ tnh_rate }}) - 1) // (1000000 - {{ tnh_rate }})
             else 0 end                                                                 as h
    from recomputed_3
),

expected as (
    select
        {{ state_rep('r') }},
        r.simulation_year,
        coalesce(s.target, r.target)::BIGINT                         as target,
        coalesce(s.q, r.q)::BIGINT                                   as q,
        coalesce(s.te, r.te)::BIGINT                                 as te,
        coalesce(s.net, r.net)::BIGINT                               as net,
        coalesce(s.h, r.h)::BIGINT                                   as h,
        coalesce(s.tnh, case when r.net > 0 then r.h - r.net else 0 end)::BIGINT
                                                                     as tnh,
        s.n                                                          as summary_n,
        s.p                                                          as summary_p,
        s.r                                                          as summary_r,
        coalesce(s.nh_termination_shortfall, 0)
            + coalesce(s.experienced_termination_shortfall, 0)       as summary_shortfall,
        s.year_end_headcount                                         as summary_year_end_headcount,
        case when s.simulation_year is null then 'recomputed'
             else 'generation_summary' end                           as figures_source
    from recomputed_final as r
    left join {{ ref('stg_wfsim__generation_summary') }} as s
      on s.simulation_year = r.simulation_year
     -- a summary without a key (a hand-made one) is the only run's
     and coalesce(s.scenario_id, r.scenario_id) = r.scenario_id
     and coalesce(s.plan_design_id, r.plan_design_id) = r.plan_design_id
     and coalesce(s.random_seed, r.random_seed) = r.random_seed
)

select
    {{ state_rep('o') }},
    o.simulation_year,
    o.n                                         as start_headcount,
    o.p                                         as prior_year_hires_in_start,
    o.n - o.p                                   as experienced_in_start,
    o.hires,
    o.retirements,
    o.experienced_terminations,
    o.new_hire_terminations,
    o.end_headcount,
    e.target,
    e.q,
    e.te                                        as te_quota,
    e.net,
    e.h                                         as hire_quota,
    e.tnh                                       as new_hire_termination_quota,
    e.summary_n,
    e.summary_p,
    e.summary_r,
    e.summary_year_end_headcount,
    e.figures_source,
    (o.hires < e.h
     or o.experienced_terminations < e.te
     or o.new_hire_terminations < e.tnh
     or e.summary_shortfall > 0)                as has_shortfall
from years as o
join expected as e using ({{ state_rep() }}, simulation_year)
