{#-
  Every event of every year, typed as docs/model.md 5.1, with the attributes of
  the employee a user filters on: where the employee came from (census or
  a hire of which year), birth and hire dates, eligibility date, and the
  census level, salary and deferral rate of census employees.

  A view, not a table: it is the events as they lie in the engine's
  Parquet plus one hash join, and copying millions of events into the
  database would cost more than every query on it saves.
-#}
{{ config(materialized='view') }}
select
    e.simulation_year,
    {{ wfsim_column_list('event', prefix='e.') }},
    p.origin                    as employee_origin,
    case when p.origin = 'new_hire' then p.first_year end
                                as hire_year,
    p.birth_date,
    p.hire_date,
    p.eligibility_date,
    p.census_level_id,
    p.census_salary,
    p.census_deferral_rate
from {{ ref('stg_wfsim__events') }} as e
left join {{ ref('int_employees') }} as p using ({{ state_rep() }}, employee_id)
