{#-
  Headcount flow by replicate, year and level. Start: S(y) by level at January 1;
  hires by hire level; promotions moving in and out; retirements and
  terminations by the level held at termination; end: active at December
  31 by level. Per level: end = start + hires + promotions_in -
  promotions_out - retirements - experienced_terminations -
  new_hire_terminations (test assert_level_flow_balances). Every level of
  the levels seed appears every year, zero when empty. year_target is the
  year's headcount target (docs/model.md 4.1 sets it for the whole workforce,
  not per level), repeated on each level's row.
-#}
with st as (
    select * from {{ ref('fct_workforce_snapshot') }}
),

ev as (
    select * from {{ ref('fct_yearly_events') }}
),

grid as (
    select {{ state_rep('r') }}, y.simulation_year, l.level_id
    from {{ ref('int_simulation_years') }} as y
    cross join {{ ref('int_replicates') }} as r
    cross join {{ ref('stg_wfsim__levels') }} as l
),

starts as (
    select {{ state_rep() }}, simulation_year, start_level_id as level_id, count(*) as start_headcount
    from st where not is_new_hire group by all
),

ends as (
    select {{ state_rep() }}, simulation_year, level_id,
           count(*) filter (where employment_status = 'active')                     as end_headcount,
           count(*) filter (where status_code = 'retirement')                       as retirements,
           count(*) filter (where status_code = 'experienced_termination')          as experienced_terminations,
           count(*) filter (where status_code = 'new_hire_termination')             as new_hire_terminations
    from st group by all
),

hires as (
    select {{ state_rep() }}, simulation_year, level_id, count(*) as hires
    from ev where event_type = 'hire' group by all
),

promo_in as (
    select {{ state_rep() }}, simulation_year, level_id, count(*) as promotions_in
    from ev where event_type = 'promotion' group by all
),

promo_out as (
    select {{ state_rep() }}, simulation_year, previous_level_id as level_id, count(*) as promotions_out
    from ev where event_type = 'promotion' group by all
)

select
    {{ state_rep('g') }},
    g.simulation_year,
    g.level_id,
    coalesce(s.start_headcount, 0)              as start_headcount,
    coalesce(h.hires, 0)                        as hires,
    coalesce(pi.promotions_in, 0)               as promotions_in,
    coalesce(po.promotions_out, 0)              as promotions_out,
    coalesce(e.retirements, 0)                  as retirements,
    coalesce(e.experienced_terminations, 0)     as experienced_terminations,
    coalesce(e.new_hire_terminations, 0)        as new_hire_terminations,
    coalesce(e.end_headcount, 0)                as end_headcount,
    n.target                                    as year_target
from grid as g
left join starts as s using ({{ state_rep() }}, simulation_year, level_id)
left join hires as h using ({{ state_rep() }}, simulation_year, level_id)
left join promo_in as pi using ({{ state_rep() }}, simulation_year, level_id)
left join promo_out as po using ({{ state_rep() }}, simulation_year, level_id)
left join ends as e using ({{ state_rep() }}, simulation_year, level_id)
left join {{ ref('int_workforce_needs') }} as n using ({{ state_rep() }}, simulation_year)
