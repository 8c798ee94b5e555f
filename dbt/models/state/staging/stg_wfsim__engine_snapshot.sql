{#-
  The engine's own workforce snapshot (MODEL.md 5.2), typed, when the run
  wrote one (var snapshot_path names a folder holding snapshot
  partitions); otherwise an empty relation of the same shape, so the
  comparison test has nothing to compare.
-#}
-- depends_on: {{ source('wfsim', 'workforce_snapshot') }}
{% set snapshot_path = state_snapshot_path() -%}
{%- if snapshot_path != '' %}
select
    simulation_year::INTEGER           as simulation_year,
    employee_id::VARCHAR               as employee_id,
    employment_status::VARCHAR         as employment_status,
    birth_date::DATE                   as birth_date,
    hire_date::DATE                    as hire_date,
    termination_date::DATE             as termination_date,
    level_id::INTEGER                  as level_id,
    salary::DECIMAL(18, 2)             as salary,
    eligibility_date::DATE             as eligibility_date,
    is_enrolled::BOOLEAN               as is_enrolled,
    deferral_rate::DECIMAL(9, 4)       as deferral_rate,
    enrollment_source::VARCHAR         as enrollment_source,
    ever_opted_out::BOOLEAN            as ever_opted_out
from {{ source('wfsim', 'workforce_snapshot') }}
{%- else %}
select
    NULL::INTEGER as simulation_year, NULL::VARCHAR as employee_id,
    NULL::VARCHAR as employment_status, NULL::DATE as birth_date,
    NULL::DATE as hire_date, NULL::DATE as termination_date,
    NULL::INTEGER as level_id, NULL::DECIMAL(18, 2) as salary,
    NULL::DATE as eligibility_date, NULL::BOOLEAN as is_enrolled,
    NULL::DECIMAL(9, 4) as deferral_rate, NULL::VARCHAR as enrollment_source,
    NULL::BOOLEAN as ever_opted_out
where false
{%- endif %}
