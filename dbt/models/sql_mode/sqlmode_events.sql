{#- All years' events of SQL mode (MODEL.md 5.1 columns and types, plus
    simulation_year; created_at is left out). Incremental: each run adds
    the year it computed, after deleting that year and any later one, so a
    rerun from any year replaces what followed it. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} WHERE simulation_year >= {{ sqlmode_year() }}{% endif %}"
) }}
select simulation_year, event_id, scenario_id, plan_design_id, random_seed, employee_id,
       event_type, event_category, event_date, event_sequence, level_id, previous_level_id,
       compensation_amount, previous_compensation, employee_deferral_rate, prev_employee_deferral_rate,
       employee_age, employee_tenure, age_band, tenure_band, event_probability
from {{ ref('sqlmode_y_events') }}
