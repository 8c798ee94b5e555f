{#- Year-end state of every employee of each year's workforce: the
    snapshot columns of docs/model.md 5.2 in engine units (cents, bp) plus what
    the next year needs (opt-out dated in y + 1, escalation opt-out). The
    run for y + 1 reads S(y + 1) from here. Incremental like
    sqlmode_events. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} WHERE simulation_year >= {{ sqlmode_year() }}{% endif %}"
) }}
select simulation_year,
       employee_id,
       case when exit_date is null then 'active' else 'terminated' end as employment_status,
       birth_date, hire_date,
       exit_date as termination_date,
       level_after as level_id,
       salary_end as salary_cents,
       elig_date as eligibility_date,
       enrolled_end as enrolled,
       deferral_end as deferral_bp,
       source_end as enrollment_source,
       enr_date_end as enrollment_date,
       opted_end as ever_opted_out,
       auto_escalation_opt_out,
       next_optout_date as pending_optout_date,
       next_optout_p as pending_optout_p
from {{ ref('sqlmode_y_people') }}
