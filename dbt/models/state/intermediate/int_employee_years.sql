{#-
  The workforce of each year (docs/model.md 3): S(y) plus the hires of y. An
  employee is in it from the first year (start year for the census, hire
  year for a hire) through the year of the termination (a termination on
  January 1 still counts: 5.2) or the last simulation year. One row per
  (replicate, employee, year); the year range is expanded per employee, so the cost
  is linear in the output.
-#}
with years as (
    select * from {{ ref('int_simulation_years') }}
)

select
    {{ state_rep('e') }},
    e.employee_id,
    y.simulation_year,
    y.year_start,
    y.year_end,
    y.days_in_year,
    e.origin,
    e.first_year = y.simulation_year and e.origin = 'new_hire'      as is_new_hire,
    e.birth_date,
    e.hire_date,
    e.eligibility_date,
    case when year(e.termination_date) = y.simulation_year
         then e.termination_date end                                 as termination_date,
    case when year(e.termination_date) = y.simulation_year
         then e.termination_category end                             as termination_category
from {{ ref('int_employees') }} as e
join years as y
  on y.simulation_year between e.first_year and e.last_year
