-- No plan enrollment (auto or voluntary) before the eligibility date;
-- only census members may be enrolled before elig(e) (docs/model.md 2.1).
-- An eligibility event, when there is one, is dated elig(e) and comes
-- before any enrollment of that day. One scan of the events (their
-- enrollments and eligibility events) and one join to the employees.
with ev as materialized (
    select
        {{ state_rep('e') }},
        e.employee_id,
        e.simulation_year,
        e.event_type,
        e.event_date,
        e.event_sequence,
        e.event_category,
        p.eligibility_date
    from {{ ref('stg_wfsim__events') }} as e
    join {{ ref('int_employees') }} as p using ({{ state_rep() }}, employee_id)
    where e.event_type in ('enrollment', 'eligibility')
)

select employee_id, event_date, event_category, eligibility_date, 'enrolled before eligible' as problem
from ev
where event_type = 'enrollment'
  and event_date < eligibility_date

union all

select employee_id, event_date, 'eligibility', eligibility_date, 'eligibility event not on elig(e)'
from ev
where event_type = 'eligibility'
  and event_date <> eligibility_date

union all

select n.employee_id, n.event_date, n.event_category, g.event_date, 'enrollment before its eligibility event'
from ev as n
join ev as g
  on g.employee_id = n.employee_id and g.simulation_year = n.simulation_year
 and g.scenario_id = n.scenario_id and g.plan_design_id = n.plan_design_id
 and g.random_seed = n.random_seed
where n.event_type = 'enrollment'
  and g.event_type = 'eligibility'
  and (n.event_date < g.event_date
       or (n.event_date = g.event_date and n.event_sequence < g.event_sequence))
