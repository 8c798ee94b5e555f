{#-
  Pay and deferral segments of each employee-year, for proration. A
  segment starts on the first day employed in the year (January 1, or the
  hire date) and at every date with an event of the employee in the year;
  it carries the state after that date's last event and ends the day
  before the next segment, or on the day before the termination (the
  termination day is not worked: an employee terminated on d is not active
  on d, docs/model.md 3), or on December 31. days = its length in days.
  Eligibility events are boundaries too, so `is_eligible` (segment start
  on or after elig(e)) splits pay exactly.
-#}
with ey as (
    select * from {{ ref('int_employee_year_end_state') }}
),

-- A segment per day with changes: the last change of a day is followed by
-- the first change of the next day with changes (next_change_date,
-- int_event_state's window; first_change_date for January 1), so keeping
-- only those rows leaves one segment per day, carrying the state after
-- that day's last event and ending where the next begins.
starts as (
    -- the state carried into January 1 (not for a hire's first year: the
    -- hire event opens that year), up to the year's first event
    select
        {{ state_rep() }},
        employee_id,
        simulation_year,
        year_start                                              as segment_start,
        coalesce(first_change_date, year_end + 1)               as next_start,
        coalesce(termination_date, year_end + 1)                as period_end,
        start_salary                                            as salary,
        start_deferral_rate                                     as deferral_rate,
        eligibility_date,
        days_in_year
    from ey
    where not is_new_hire
      and (first_change_date is null or first_change_date > year_start)
),

year_changes as (
    select
        {{ state_rep('s') }},
        s.employee_id,
        s.simulation_year,
        s.event_date                                            as segment_start,
        coalesce(s.next_change_date, ey.year_end + 1)           as next_start,
        coalesce(ey.termination_date, ey.year_end + 1)          as period_end,
        s.salary,
        s.deferral_rate,
        ey.eligibility_date,
        ey.days_in_year
    from {{ ref('int_event_state') }} as s
    join ey using ({{ state_rep() }}, employee_id, simulation_year)
    where s.event_type <> 'census'
      and (s.next_change_date is null or s.next_change_date > s.event_date)
),

bounded as (
    select * from starts
    union all
    select * from year_changes
)

select
    {{ state_rep() }},
    employee_id,
    simulation_year,
    segment_start,
    least(next_start, period_end) - 1                                   as segment_end,
    greatest(0, date_diff('day', segment_start, least(next_start, period_end)))::INTEGER
                                                                        as days,
    days_in_year,
    salary,
    (salary * 100)::BIGINT                                              as salary_cents,
    deferral_rate,
    (deferral_rate * 10000)::BIGINT                                     as deferral_bp,
    segment_start >= eligibility_date                                   as is_eligible
from bounded
