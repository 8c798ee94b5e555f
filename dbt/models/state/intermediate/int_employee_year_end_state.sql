{#-
  Each employee's state at the end of each year of the workforce (or at
  the termination), and at January 1 before that day's events.

  End of year y: the last change of y (arg_max over state_key, one hash
  aggregate), or, in a year without events, the end state of the year
  before (carried with a window over the employee's years). January 1 of
  y: the end state of y-1, or the census row in the start year; NULL for
  a hire's first year. Both are last_value(... ignore nulls) over the
  employee's years, one frame ending at the year and one at the year
  before, so DuckDB computes them in one sort (a lag over the first used
  to cost a second one). Linear: one aggregate, one join, one window.
  first_change_date: the date of the year's first event (NULL in a year
  without events), where int_pay_segments ends the January 1 segment.
-#}
with ey as (
    select * from {{ ref('int_employee_years') }}
),

last_of_year as (
    select
        {{ state_rep() }},
        employee_id,
        simulation_year,
        arg_max(struct_pack(
            level_id := level_id,
            salary := salary,
            deferral_rate := deferral_rate,
            is_enrolled := is_enrolled,
            enrollment_source := enrollment_source,
            enrollment_date := enrollment_date,
            ever_opted_out := ever_opted_out
        ), state_key)                                   as st,
        min(event_date) filter (where event_type <> 'census')
                                                        as first_change_date
    from {{ ref('int_event_state') }}
    group by {{ state_rep() }}, employee_id, simulation_year
),

census_state as (
    select
        {{ state_rep() }},
        employee_id,
        struct_pack(
            level_id := level_id,
            salary := salary,
            deferral_rate := deferral_rate,
            is_enrolled := is_enrolled,
            enrollment_source := enrollment_source,
            enrollment_date := enrollment_date,
            ever_opted_out := ever_opted_out
        )                                               as st
    from {{ ref('int_event_state') }}
    where event_type = 'census'
),

with_start as (
    select
        ey.*,
        l.first_change_date,
        last_value(l.st ignore nulls) over (
            partition by {{ state_rep('ey') }}, ey.employee_id order by ey.simulation_year
            rows between unbounded preceding and current row)      as end_st,
        case when ey.is_new_hire then NULL
             else coalesce(
                 last_value(l.st ignore nulls) over (
                     partition by {{ state_rep('ey') }}, ey.employee_id order by ey.simulation_year
                     rows between unbounded preceding and 1 preceding),
                 c.st)
        end                                                         as start_st
    from ey
    left join last_of_year as l using ({{ state_rep() }}, employee_id, simulation_year)
    left join census_state as c using ({{ state_rep() }}, employee_id)
)

select
    {{ state_rep() }},
    employee_id,
    simulation_year,
    year_start,
    year_end,
    days_in_year,
    origin,
    is_new_hire,
    birth_date,
    hire_date,
    eligibility_date,
    termination_date,
    termination_category,
    end_st.level_id                 as level_id,
    end_st.salary                   as salary,
    end_st.deferral_rate            as deferral_rate,
    end_st.is_enrolled              as is_enrolled,
    end_st.enrollment_source        as enrollment_source,
    end_st.enrollment_date          as enrollment_date,
    end_st.ever_opted_out           as ever_opted_out,
    start_st.level_id               as start_level_id,
    start_st.salary                 as start_salary,
    start_st.deferral_rate          as start_deferral_rate,
    start_st.is_enrolled            as start_is_enrolled,
    first_change_date
from with_start
