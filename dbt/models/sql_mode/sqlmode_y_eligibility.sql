{#- docs/model.md 4.7 plan eligibility: the eligibility event, when elig(e)
    falls in the year and the employee is active on it. elig(e) itself is
    sqlmode_elig (sqlmode_helpers.sql). C: sim_employee.c
    eligibility_event, list_eligibility; sim.c eligibility_day. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}

select r.*,
       year(r.elig_date) = {{ y }} and {{ sqlmode_active('r.elig_date') }} as elig_event
from {{ ref('sqlmode_y_raises') }} r
