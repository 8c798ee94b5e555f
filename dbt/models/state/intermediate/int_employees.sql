{#-
  One row per employee who was ever in the workforce: the active census
  rows and every hire event. A hire's birth date is not in its events; it
  is rebuilt from the hire event (date, age at hire, seed) with docs/model.md
  4.4's keyed draw: add_years(hire_date, -age) - pick(id, y,
  hire_birth_day, 365) days. elig(e) follows docs/model.md 3 with the
  eligibility settings of the replicate's scenario (int_replicates).
  Keyed by replicate and employee: the census is in every replicate.
-#}
with years as (
    select min(start_year) as start_year, min(end_year) as end_year,
           min(census_date) as census_date
    from {{ ref('int_simulation_years') }}
),

census as (
    select
        {{ state_rep('r') }},
        c.employee_id,
        'census'                        as origin,
        c.birth_date,
        c.hire_date,
        y.start_year                    as first_year,
        c.level_id                      as census_level_id,
        c.salary                        as census_salary,
        c.deferral_rate                 as census_deferral_rate,
        c.auto_escalation_opt_out
    from {{ ref('stg_wfsim__census') }} as c
    cross join years as y
    cross join {{ ref('int_replicates') }} as r
),

hires as (
    select
        {{ state_rep('e') }},
        e.employee_id,
        'new_hire'                      as origin,
        ({{ sqlmode_add_years('e.event_date', '-e.employee_age') }}
            - {{ wf_rng_pick('e.random_seed', 'e.employee_id', 'e.simulation_year', 'hire_birth_day', 365) }}::INTEGER
        )::DATE                         as birth_date,
        e.event_date                    as hire_date,
        e.simulation_year               as first_year,
        NULL::INTEGER                   as census_level_id,
        NULL::DECIMAL(18, 2)            as census_salary,
        NULL::DECIMAL(9, 4)             as census_deferral_rate,
        false                           as auto_escalation_opt_out
    from {{ ref('stg_wfsim__events') }} as e
    where e.event_type = 'hire'
),

terminations as (
    select
        {{ state_rep() }},
        employee_id,
        min(event_date)                 as termination_date,
        min(event_category)             as termination_category
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'termination'
    group by {{ state_rep() }}, employee_id
),

everyone as (
    select * from census
    union all
    select * from hires
)

select
    {{ state_rep('p') }},
    p.employee_id,
    p.origin,
    p.birth_date,
    p.hire_date,
    p.first_year,
    t.termination_date,
    t.termination_category,
    coalesce(year(t.termination_date), y.end_year)::INTEGER    as last_year,
    greatest(
        p.hire_date + s.waiting_period_days::INTEGER,
        {{ sqlmode_add_years('p.birth_date', 's.minimum_age') }}
    )                                                          as eligibility_date,
    p.census_level_id,
    p.census_salary,
    p.census_deferral_rate,
    p.auto_escalation_opt_out
from everyone as p
cross join years as y
join {{ ref('int_replicates') }} as s using ({{ state_rep() }})
left join terminations as t using ({{ state_rep() }}, employee_id)
