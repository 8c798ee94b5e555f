{#-
  Event sourcing: each employee's state after every change, in the order
  the changes take effect (docs/model.md 0.4: date, then event_sequence). The
  census is the first change (dated C, sequence 0). state_key orders the
  changes of one employee as one integer (day number * 100 + sequence), so
  later models find "the state on day d" with an ASOF join. Every column is
  carried forward with window functions over the employee's changes: one
  sort, linear in the events. next_change_date is the date of the
  employee's next change in the same simulation year (NULL after the
  year's last one), where int_pay_segments ends a pay segment.

  What an event changes: every event restates level and salary (docs/model.md
  5.1: in effect after the event); enrollment sets enrolled, deferral,
  source (auto / voluntary) and enrollment date; enrollment_change sets
  deferral and enrolled = (deferral > 0), and an opt-out sets
  ever_opted_out; deferral_escalation sets deferral.
-#}
with years as (
    select min(census_date) as census_date, min(start_year) as start_year
    from {{ ref('int_simulation_years') }}
),

changes as (
    select
        {{ state_rep('r') }},
        c.employee_id,
        y.start_year::INTEGER                   as simulation_year,
        y.census_date                           as event_date,
        0                                       as event_sequence,
        'census'                                as event_type,
        NULL::VARCHAR                           as event_category,
        c.level_id,
        c.salary                                as compensation_amount,
        c.deferral_rate                         as set_deferral_rate,
        c.deferral_rate > 0                     as set_enrolled,
        case when c.deferral_rate > 0 then 'census' end
                                                as set_enrollment_source,
        case when c.deferral_rate > 0 then y.census_date end
                                                as set_enrollment_date,
        false                                   as is_opt_out
    from {{ ref('stg_wfsim__census') }} as c
    cross join years as y
    cross join {{ ref('int_replicates') }} as r

    union all

    select
        {{ state_rep('e') }},
        e.employee_id,
        e.simulation_year,
        e.event_date,
        e.event_sequence,
        e.event_type,
        e.event_category,
        e.level_id,
        e.compensation_amount,
        case when e.event_type in ('enrollment', 'enrollment_change', 'deferral_escalation')
             then e.employee_deferral_rate end,
        case when e.event_type = 'enrollment' then true
             when e.event_type = 'enrollment_change' then e.employee_deferral_rate > 0
             when e.event_type = 'hire' then false end,
        case when e.event_type = 'enrollment'
             then case e.event_category when 'auto_enrollment' then 'auto' else 'voluntary' end end,
        case when e.event_type = 'enrollment' then e.event_date end,
        e.event_category = 'opt_out'
    from {{ ref('stg_wfsim__events') }} as e
)

select
    {{ state_rep() }},
    employee_id,
    simulation_year,
    event_date,
    event_sequence,
    event_type,
    event_category,
    {{ state_day_number('event_date') }}::BIGINT * 100 + event_sequence       as state_key,
    level_id,
    compensation_amount                                                     as salary,
    coalesce(last_value(set_deferral_rate ignore nulls) over w, 0)::DECIMAL(9, 4)
                                                                            as deferral_rate,
    coalesce(last_value(set_enrolled ignore nulls) over w, false)           as is_enrolled,
    last_value(set_enrollment_source ignore nulls) over w                   as enrollment_source,
    last_value(set_enrollment_date ignore nulls) over w                     as enrollment_date,
    coalesce(bool_or(is_opt_out) over w, false)                             as ever_opted_out,
    -- (the census row, dated before the start year, is never a next change)
    case when year(lead(event_date) over w) = simulation_year
         then lead(event_date) over w end                                   as next_change_date
from changes
window w as (
    partition by {{ state_rep() }}, employee_id
    order by event_date, event_sequence
    rows between unbounded preceding and current row
)
