{#- The census of docs/model.md 2.1, read from var census_path, as the starting
    workforce S(start_year) with its plan state.

    `wfsim run` and `wfsim parity` pass the engine loader's normalised
    census (OUT/census.parquet, docs/inputs.md): exactly the accepted
    employees, typed, column mapping and date format applied, rejected rows
    left out. It is read as it is, checked once more against the rules of
    docs/model.md 2.1 (a broken one stops with error() naming the employee) and
    for the level derived from the salary (level_from_salary), which SQL
    mode derives again on its own.

    Any other path is a census CSV read on its own, for SQL mode without
    the engine: this model then applies the same rules as the engine's
    loader and stops with error() naming the file, the data row (line =
    row + 1 when no field spans lines) and the column of the first broken
    rule it meets. Column names match case-insensitively, with the aliases
    of docs/model.md 2.1. Rows with a termination date or a false `active` are
    skipped. -#}
{{ config(materialized='table') }}
{%- set path = wfsim_var('census_path') if execute else 'census.csv' -%}
{%- if execute and not path -%}
  {{ exceptions.raise_compiler_error("SQL mode: var census_path is required") }}
{%- endif -%}
{%- set qpath = (path | string) | replace("'", "''") -%}
{%- set canon = {'employee_id': 'employee_id', 'birth_date': 'birth_date', 'employee_birth_date': 'birth_date',
                 'hire_date': 'hire_date', 'employee_hire_date': 'hire_date',
                 'salary': 'salary', 'employee_gross_compensation': 'salary',
                 'termination_date': 'termination_date', 'employee_termination_date': 'termination_date',
                 'active': 'active', 'level_id': 'level_id',
                 'deferral_rate': 'deferral_rate', 'employee_deferral_rate': 'deferral_rate',
                 'auto_escalation_opt_out': 'auto_escalation_opt_out'} -%}
{%- set is_parquet = (path | string).endswith('.parquet') -%}
{%- set found = {} -%}
{%- if execute and not is_parquet -%}
  {%- set hdr = run_query("SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv('" ~ qpath ~ "', all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"'))") -%}
  {%- set raw_hdr = run_query("SELECT * FROM read_csv('" ~ qpath ~ "', all_varchar = true, header = false, delim = ',', quote = '\"', escape = '\"') LIMIT 1") -%}
  {%- set written = raw_hdr.rows[0].values() if raw_hdr.rows | length > 0 else [] -%}
  {%- for name in hdr.columns[0].values() -%}
    {#- DuckDB renames a repeated header (salary_1); match on the written name -#}
    {%- set wname = (written[loop.index0] if loop.index0 < written | length else name) | string | trim -%}
    {%- set key = wname | lower -%}
    {%- if key in canon -%}
      {%- if canon[key] in found -%}
        {{ exceptions.raise_compiler_error("census " ~ path ~ ", line 1: column " ~ wname ~ " repeats " ~ found[canon[key]] ~ " (a column and its alias, or a column twice)") }}
      {%- endif -%}
      {%- do found.update({canon[key]: name}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for req in ['employee_id', 'birth_date', 'hire_date', 'salary'] -%}
    {%- if req not in found -%}
      {{ exceptions.raise_compiler_error("census " ~ path ~ ", line 1: required column " ~ req ~ " is missing") }}
    {%- endif -%}
  {%- endfor -%}
{%- else -%}
  {%- set found = {'employee_id': 'employee_id', 'birth_date': 'birth_date', 'hire_date': 'hire_date', 'salary': 'salary'} -%}
{%- endif -%}
{%- set col = {} -%}
{%- for c in ['employee_id', 'birth_date', 'hire_date', 'salary', 'termination_date', 'active', 'level_id', 'deferral_rate', 'auto_escalation_opt_out'] -%}
  {%- if c in found -%}{%- do col.update({c: "nullif(trim(\"" ~ found[c] ~ "\", ' ' || chr(9)), '')"}) -%}
  {%- else -%}{%- do col.update({c: "CAST(NULL AS VARCHAR)"}) -%}{%- endif -%}
{%- endfor -%}
{%- set errp = "error('census " ~ qpath ~ ", line ' || CAST(line AS VARCHAR) || ': ' || " -%}
{%- set census_date = "make_date(" ~ (sqlmode_cfg('simulation', 'start_year') | int - 1) ~ ", 12, 31)" -%}
{%- set truthy = "('true', 't', 'yes', 'y', '1')" -%}
{%- set falsy = "('false', 'f', 'no', 'n', '0')" -%}
{%- set levels = ref('sqlmode_p_levels') -%}

{%- if is_parquet %}
with normalised as (
    select * from read_parquet('{{ qpath }}')
),
derived as (
    select n.*,
           coalesce((select min(l.level_id) from {{ levels }} l where n.salary * 100 < l.max_dollars * 100),
                    (select max(l.level_id) from {{ levels }} l)) as level_derived
    from normalised n
),
checked as (
    select *,
           case when salary <= 0 or deferral_rate < 0 or deferral_rate > 1
                  or level_id not in (select level_id from {{ levels }})
                then error('census ' || '{{ qpath }}' || ': employee ' || employee_id || ': salary, deferral_rate or level_id out of range')
                when hire_date > {{ census_date }} or hire_date < {{ sqlmode_add_years('birth_date', 14) }}
                  or {{ sqlmode_age('birth_date', census_date) }} not between 14 and 100
                then error('census ' || '{{ qpath }}' || ': employee ' || employee_id || ': birth_date or hire_date breaks docs/model.md 2.1')
                when level_from_salary and level_id <> level_derived
                then error('census ' || '{{ qpath }}' || ': employee ' || employee_id || ': level ' || CAST(level_id AS VARCHAR) || ' is not the level derived from the salary (' || CAST(level_derived AS VARCHAR) || ')')
                else true end as ok
    from derived
)
select employee_id, birth_date, hire_date,
       level_id::INTEGER as level_id,
       (salary * 100)::BIGINT as salary_cents,
       (deferral_rate * 10000)::BIGINT as deferral_bp,
       deferral_rate > 0 as enrolled,
       case when deferral_rate > 0 then {{ census_date }} end as enrollment_date,
       case when deferral_rate > 0 then 'census' end as enrollment_source,
       false as ever_opted_out,
       auto_escalation_opt_out
from checked
where ok
{%- else %}

with raw as (
    select row_number() over () + 1 as wf_census_line, *
    from read_csv('{{ qpath }}', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')
),
cells as (
    select wf_census_line as line,
           {{ col['employee_id'] }} as employee_id,
           {{ col['birth_date'] }} as birth_text,
           {{ col['hire_date'] }} as hire_text,
           {{ col['salary'] }} as salary_text,
           {{ col['termination_date'] }} as termination_text,
           lower({{ col['active'] }}) as active_text,
           {{ col['level_id'] }} as level_text,
           {{ col['deferral_rate'] }} as deferral_text,
           lower({{ col['auto_escalation_opt_out'] }}) as opt_out_text
    from raw
),
ids as (
    select *,
           case when employee_id is null
                  or not regexp_full_match(employee_id, '[A-Za-z0-9_.-]{1,64}')
                then {{ errp }}{{ "'column employee_id: expected 1-64 characters from A-Z a-z 0-9 _ . -'" }})
                when starts_with(employee_id, 'NH_')
                then {{ errp }}{{ "'column employee_id: the prefix NH_ is reserved for hires'" }})
                when count(*) over (partition by employee_id) > 1
                then {{ errp }}{{ "'column employee_id: ' || employee_id || ' is not unique'" }})
                else employee_id end as checked_id,
           case when termination_text is not null then false
                when active_text is null then true
                when active_text in {{ truthy }} then true
                when active_text in {{ falsy }} then false
                else {{ errp }}{{ "'column active: expected a boolean'" }})::BOOLEAN end as is_active
    from cells
),
typed as (
    select line, checked_id as employee_id,
           case when regexp_full_match(coalesce(birth_text, ''), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                     and TRY_CAST(birth_text AS DATE) is not null
                then CAST(birth_text AS DATE)
                else {{ errp }}{{ "'column birth_date: expected a date YYYY-MM-DD'" }})::DATE end as birth_date,
           case when regexp_full_match(coalesce(hire_text, ''), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                     and TRY_CAST(hire_text AS DATE) is not null
                then CAST(hire_text AS DATE)
                else {{ errp }}{{ "'column hire_date: expected a date YYYY-MM-DD'" }})::DATE end as hire_date,
           case when {{ sqlmode_is_decimal('coalesce(salary_text, \'\')') }}
                     and {{ sqlmode_units('salary_text', 2) }} > 0
                     and {{ sqlmode_units('salary_text', 2) }} <= 9007199254740991
                then {{ sqlmode_units('salary_text', 2) }}::BIGINT
                else {{ errp }}{{ "'column salary: expected a decimal number of dollars above 0'" }})::BIGINT end as salary_cents,
           case when level_text is null then NULL
                when regexp_full_match(level_text, '[0-9]+')
                     and TRY_CAST(level_text AS INTEGER) in (select level_id from {{ ref('sqlmode_p_levels') }})
                then CAST(level_text AS INTEGER)
                else {{ errp }}{{ "'column level_id: expected a level of the level table'" }})::INTEGER end as level_given,
           case when deferral_text is null then 0
                when {{ sqlmode_is_decimal('deferral_text') }}
                     and not starts_with(deferral_text, '-')
                     and {{ sqlmode_units('deferral_text', 20) }} <= 100000000000000000000::HUGEINT
                then {{ sqlmode_units('deferral_text', 4) }}::BIGINT
                else {{ errp }}{{ "'column deferral_rate: expected a fraction in [0, 1]'" }})::BIGINT end as deferral_bp,
           case when opt_out_text is null then false
                when opt_out_text in {{ truthy }} then true
                when opt_out_text in {{ falsy }} then false
                else {{ errp }}{{ "'column auto_escalation_opt_out: expected a boolean'" }})::BOOLEAN end as auto_escalation_opt_out
    from ids
    where is_active
),
checked as (
    select *,
           case when hire_date > {{ census_date }}
                then {{ errp }}{{ "'column hire_date: ' || CAST(hire_date AS VARCHAR) || ' is after the census date'" }})::BOOLEAN
                when hire_date < {{ sqlmode_add_years('birth_date', 14) }}
                then {{ errp }}{{ "'column hire_date: before the 14th birthday'" }})::BOOLEAN
                when {{ sqlmode_age('birth_date', census_date) }} not between 14 and 100
                then {{ errp }}{{ "'column birth_date: age at the census date must be 14..100'" }})::BOOLEAN
                else true end as ok
    from typed
)
select c.employee_id, c.birth_date, c.hire_date,
       coalesce(c.level_given,
                (select min(l.level_id) from {{ ref('sqlmode_p_levels') }} l where c.salary_cents < l.max_dollars * 100),
                (select max(l.level_id) from {{ ref('sqlmode_p_levels') }} l))::INTEGER as level_id,
       c.salary_cents,
       c.deferral_bp,
       c.deferral_bp > 0 as enrolled,
       case when c.deferral_bp > 0 then {{ census_date }} end as enrollment_date,
       case when c.deferral_bp > 0 then 'census' end as enrollment_source,
       false as ever_opted_out,
       c.auto_escalation_opt_out
from checked c
where c.ok
{%- endif %}
