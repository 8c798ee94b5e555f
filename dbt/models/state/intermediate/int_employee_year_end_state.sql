{#-
  Each employee's state at the end of each year of the workforce (or at
  the termination): the last change on or before December 31, found with
  an ASOF join on state_key (one sort-merge, no per-employee subquery).
  The state at January 1 (before that day's events) comes along too, for
  the start-of-year views (headcount by level at January 1).
-#}
with ey as (
    select
        *,
        {{ wf_day_number('year_end') }}::BIGINT * 100 + 99     as end_key,
        {{ wf_day_number('year_start') }}::BIGINT * 100        as start_key
    from {{ ref('int_employee_years') }}
),

at_end as (
    select
        ey.employee_id,
        ey.simulation_year,
        s.level_id,
        s.salary,
        s.deferral_rate,
        s.is_enrolled,
        s.enrollment_source,
        s.enrollment_date,
        s.ever_opted_out
    from ey
    asof join {{ ref('int_event_state') }} as s
      on s.employee_id = ey.employee_id
     and ey.end_key >= s.state_key
),

at_start as (
    select
        ey.employee_id,
        ey.simulation_year,
        s.level_id,
        s.salary,
        s.deferral_rate,
        s.is_enrolled
    from ey
    asof join {{ ref('int_event_state') }} as s
      on s.employee_id = ey.employee_id
     and ey.start_key > s.state_key
)

select
    ey.employee_id,
    ey.simulation_year,
    ey.year_start,
    ey.year_end,
    ey.days_in_year,
    ey.origin,
    ey.is_new_hire,
    ey.birth_date,
    ey.hire_date,
    ey.eligibility_date,
    ey.termination_date,
    ey.termination_category,
    e.level_id,
    e.salary,
    e.deferral_rate,
    e.is_enrolled,
    e.enrollment_source,
    e.enrollment_date,
    e.ever_opted_out,
    s.level_id          as start_level_id,
    s.salary            as start_salary,
    s.deferral_rate     as start_deferral_rate,
    s.is_enrolled       as start_is_enrolled
from ey
join at_end as e using (employee_id, simulation_year)
left join at_start as s using (employee_id, simulation_year)
