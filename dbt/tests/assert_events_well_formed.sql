{#-
  The rules about the engine's event rows themselves (docs/model.md 5.1),
  in one pass over the events: one row per employee-year (or employee)
  breaking a rule, `rule` naming it.

    misdated              an event outside its partition's year
    event_id              an event_id that is not the lower-hex MD5 of
                          "{scenario_id}|{plan_design_id}|{seed}|{employee_id}|{y}|{event_type}"
    event_sequence        the employee-year's event_sequence values, in
                          (event_date, event_sequence) order, are not
                          1, 2, .., n: so they are unique, and the dates
                          do not decrease along them
    event_type twice      two events of one type in an employee-year
    after termination     an event later in effect order (date, then
                          event_sequence) than the employee's first
                          termination, in that year or any later one

  Each rule was a test of its own, each reading and sorting or hashing
  every event (issue 14: five of them took 110 s of a 415 s build of
  4 x 1,000,000 x 5); here one hash aggregate by employee-year does them
  all. The failing counts say how many events of the row break the rule.
-#}
with ev as (
    select
        {{ state_rep() }},
        employee_id,
        simulation_year,
        event_type,
        event_date,
        event_sequence,
        {{ state_day_number('event_date') }}::BIGINT * 100 + event_sequence     as k,
        year(event_date) <> simulation_year                                     as is_misdated,
        event_id <> md5(scenario_id || '|' || plan_design_id || '|' || random_seed::VARCHAR || '|'
                        || employee_id || '|' || simulation_year::VARCHAR || '|' || event_type)
                                                                                as is_bad_id
    from {{ ref('stg_wfsim__events') }}
),

employee_years as materialized (
    select
        {{ state_rep() }},
        employee_id,
        simulation_year,
        count(*)                                                                as events,
        count(*) filter (where is_misdated)                                     as misdated,
        count(*) filter (where is_bad_id)                                       as bad_ids,
        list(event_sequence::BIGINT order by event_date, event_sequence)        as sequences,
        count(distinct event_type)                                              as event_types,
        min(k) filter (where event_type = 'termination')                        as termination_k,
        max(k)                                                                  as last_k
    from ev
    group by {{ state_rep() }}, employee_id, simulation_year
),

terminated as (
    select {{ state_rep() }}, employee_id, min(termination_k) as first_termination_k
    from employee_years
    where termination_k is not null
    group by {{ state_rep() }}, employee_id
)

select 'misdated' as rule, {{ state_rep() }}, employee_id, simulation_year, misdated as failures
from employee_years where misdated > 0
union all
select 'event_id', {{ state_rep() }}, employee_id, simulation_year, bad_ids
from employee_years where bad_ids > 0
union all
select 'event_sequence', {{ state_rep() }}, employee_id, simulation_year, events
from employee_years where sequences <> range(1, events + 1)
union all
select 'event_type twice', {{ state_rep() }}, employee_id, simulation_year, events - event_types
from employee_years where event_types < events
union all
select 'after termination', {{ state_rep('y') }}, y.employee_id, y.simulation_year, 1
from employee_years as y
join terminated as t using ({{ state_rep() }}, employee_id)
where y.last_k > t.first_termination_k
