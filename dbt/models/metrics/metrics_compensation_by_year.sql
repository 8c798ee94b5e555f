{#-
  Compensation by replicate and year. total_prorated_compensation is what the year's
  workforce earned (every employee-year, leavers included, prorated by
  segments: docs/dbt.md); year_end_payroll and average_salary are the
  annual salary rates of those active on December 31; growth figures
  compare with the previous year (NULL for the first). Promotions and
  raises are counted from the events.
-#}
with st as (
    select * from {{ ref('fct_workforce_snapshot') }}
),

ev as (
    select
        {{ state_rep() }},
        simulation_year,
        count(*) filter (where event_type = 'promotion')                as promotions,
        count(*) filter (where event_category = 'merit')                as merit_raises,
        count(*) filter (where event_category = 'cola')                 as cola_raises
    from {{ ref('fct_yearly_events') }}
    group by {{ state_rep() }}, simulation_year
),

by_year as (
    select
        {{ state_rep() }},
        simulation_year,
        sum(prorated_compensation)                                      as total_prorated_compensation,
        sum(salary) filter (where employment_status = 'active')         as year_end_payroll,
        count(*) filter (where employment_status = 'active')            as year_end_headcount
    from st
    group by {{ state_rep() }}, simulation_year
)

select
    {{ state_rep('b') }},
    b.simulation_year,
    b.total_prorated_compensation,
    b.year_end_payroll,
    b.year_end_headcount,
    round(b.year_end_payroll / nullif(b.year_end_headcount, 0), 2)::DECIMAL(18, 2)
                                                                        as average_salary,
    b.total_prorated_compensation::DOUBLE
        / nullif(lag(b.total_prorated_compensation) over (partition by {{ state_rep('b') }} order by b.simulation_year), 0)::DOUBLE - 1
                                                                        as total_compensation_growth,
    (b.year_end_payroll / nullif(b.year_end_headcount, 0))::DOUBLE
        / nullif(lag(b.year_end_payroll / nullif(b.year_end_headcount, 0)) over (partition by {{ state_rep('b') }} order by b.simulation_year), 0)::DOUBLE - 1
                                                                        as average_salary_growth,
    coalesce(e.promotions, 0)                                           as promotions,
    coalesce(e.merit_raises, 0)                                         as merit_raises,
    coalesce(e.cola_raises, 0)                                          as cola_raises
from by_year as b
left join ev as e using ({{ state_rep() }}, simulation_year)
