{#-
  The active census rows (docs/model.md 2.1) with their exact values: a row
  with any termination_date, or with a false `active`, is skipped; salary
  rounded to cents and deferral rate to basis points, half away from zero
  (DuckDB's text-to-DECIMAL cast); level_id derived from the salary when
  the cell or the column is missing (the lowest level whose maximum is
  above the salary, else the top level).

  When census_path is the engine's normalised census (a .parquet file:
  what `wfsim run` passes, docs/inputs.md), these values are already in
  it, for exactly the accepted rows, and are read as they are.
-#}
{%- set path = state_census_path() -%}
{%- if state_census_is_normalised(path) %}
select
    employee_id,
    birth_date,
    hire_date,
    salary,
    level_id,
    deferral_rate,
    deferral_rate > 0          as is_enrolled,
    auto_escalation_opt_out
from read_parquet({{ state_sql_string(path) }})
{%- else %}
{%- set cols = state_census_columns(path) -%}
with raw as (
    select
        {{ state_census_cell(cols, 'employee_id') }}                       as employee_id,
        {{ state_census_cell(cols, 'birth_date') }}                        as birth_date,
        {{ state_census_cell(cols, 'hire_date') }}                         as hire_date,
        {{ state_census_cell(cols, 'salary') }}                            as salary,
        {{ state_census_cell(cols, 'termination_date') }}                  as termination_date,
        lower({{ state_census_cell(cols, 'active') }})                     as active,
        {{ state_census_cell(cols, 'level_id') }}                          as level_id,
        {{ state_census_cell(cols, 'deferral_rate') }}                     as deferral_rate,
        lower({{ state_census_cell(cols, 'auto_escalation_opt_out') }})    as auto_escalation_opt_out
    from {{ state_census_read(path) }}
),

active_rows as (
    select *
    from raw
    where termination_date is null
      and coalesce(active, 'true') not in ('false', 'f', 'no', 'n', '0')
),

typed as (
    select
        employee_id,
        birth_date::DATE                                        as birth_date,
        hire_date::DATE                                         as hire_date,
        salary::DECIMAL(18, 2)                                  as salary,
        level_id::INTEGER                                       as census_level_id,
        coalesce(deferral_rate, '0')::DECIMAL(9, 4)             as deferral_rate,
        coalesce(auto_escalation_opt_out, 'false')
            in ('true', 't', 'yes', 'y', '1')                   as auto_escalation_opt_out
    from active_rows
),

levels as (
    select level_id, max_compensation
    from {{ ref('stg_wfsim__levels') }}
),

derived_level as (
    select
        t.employee_id,
        coalesce(
            min(l.level_id) filter (where l.max_compensation > t.salary),
            (select max(level_id) from levels)
        ) as derived_level_id
    from typed as t
    cross join levels as l
    where t.census_level_id is null
    group by t.employee_id, t.salary
)

select
    t.employee_id,
    t.birth_date,
    t.hire_date,
    t.salary,
    coalesce(t.census_level_id, d.derived_level_id)    as level_id,
    t.deferral_rate,
    t.deferral_rate > 0                                 as is_enrolled,
    t.auto_escalation_opt_out
from typed as t
left join derived_level as d using (employee_id)
{%- endif %}
