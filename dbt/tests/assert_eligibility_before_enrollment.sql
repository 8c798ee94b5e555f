-- No plan enrollment (auto or voluntary) before the eligibility date;
-- only census members may be enrolled before elig(e) (docs/model.md 2.1).
-- An eligibility event, when there is one, is dated elig(e) and comes
-- before any enrollment of that day.
with elig_events as (
    select {{ state_rep() }}, employee_id, event_date, event_sequence, simulation_year
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'eligibility'
)

select e.employee_id, e.event_date, e.event_category, p.eligibility_date, 'enrolled before eligible' as problem
from {{ ref('stg_wfsim__events') }} as e
join {{ ref('int_employees') }} as p using ({{ state_rep() }}, employee_id)
where e.event_type = 'enrollment'
  and e.event_date < p.eligibility_date

union all

select e.employee_id, e.event_date, 'eligibility', p.eligibility_date, 'eligibility event not on elig(e)'
from elig_events as e
join {{ ref('int_employees') }} as p using ({{ state_rep() }}, employee_id)
where e.event_date <> p.eligibility_date

union all

select n.employee_id, n.event_date, n.event_category, g.event_date, 'enrollment before its eligibility event'
from {{ ref('stg_wfsim__events') }} as n
join elig_events as g
  on g.employee_id = n.employee_id and g.simulation_year = n.simulation_year
 and g.scenario_id = n.scenario_id and g.plan_design_id = n.plan_design_id
 and g.random_seed = n.random_seed
where n.event_type = 'enrollment'
  and (n.event_date < g.event_date
       or (n.event_date = g.event_date and n.event_sequence < g.event_sequence))
