-- Nothing follows a termination: no event of the employee later in
-- effect order (date, then event_sequence), in that year or any later one.
with ev as (
    select
        {{ state_rep() }}, employee_id, simulation_year, event_id, event_type, event_date, event_sequence,
        {{ state_day_number('event_date') }}::BIGINT * 100 + event_sequence as k
    from {{ ref('stg_wfsim__events') }}
),

term as (
    select {{ state_rep() }}, employee_id, min(k) as termination_k
    from ev
    where event_type = 'termination'
    group by {{ state_rep() }}, employee_id
)

select ev.*
from ev
join term using ({{ state_rep() }}, employee_id)
where ev.k > term.termination_k
