{#- The workforce needs of MODEL.md 4.1 for every year computed (the
    normative per-year figures of generation_summary.json). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} WHERE simulation_year >= {{ sqlmode_year() }}{% endif %}"
) }}
select * from {{ ref('sqlmode_y_needs') }}
