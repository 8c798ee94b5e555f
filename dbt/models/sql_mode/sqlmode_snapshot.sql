{#- The workforce snapshot of docs/model.md 5.2 for every year computed, with
    its column names and types plus simulation_year. -#}
{{ config(materialized='view') }}
select simulation_year, employee_id, employment_status, birth_date, hire_date, termination_date,
       level_id::INTEGER as level_id,
       {{ sqlmode_money('salary_cents') }} as salary,
       eligibility_date,
       enrolled as is_enrolled,
       {{ sqlmode_rate('deferral_bp') }} as deferral_rate,
       enrollment_source,
       ever_opted_out
from {{ ref('sqlmode_state') }}
