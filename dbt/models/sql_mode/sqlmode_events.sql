{#- All years' events of SQL mode (docs/model.md 5.1 columns and types, plus
    simulation_year; created_at is left out; the list is wf_schema.h's). Incremental: each run adds
    the year it computed, after deleting that year and any later one, so a
    rerun from any year replaces what followed it. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} WHERE simulation_year >= {{ sqlmode_year() }}{% endif %}"
) }}
select simulation_year, {{ wfsim_column_list('event', compared_only=true) }}
from {{ ref('sqlmode_y_events') }}
