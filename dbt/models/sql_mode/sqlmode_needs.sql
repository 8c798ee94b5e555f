{#- The workforce needs of docs/model.md 4.1 for every year computed (the
    normative per-year figures of generation_summary.json), with what the
    year then did: retirements, experienced and new-hire terminations
    actually made, their shortfalls against the quotas (fewer candidates
    than the quota), hires, the workforce of the year and the year-end
    headcount. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} WHERE simulation_year >= {{ sqlmode_year() }}{% endif %}"
) }}
with done as (
    select count(*) filter (where exit_category = 'retirement') as r_actual,
           count(*) filter (where exit_category = 'experienced_termination') as te_actual,
           count(*) filter (where exit_category = 'new_hire_termination') as tnh_actual,
           count(*) filter (where is_hire) as h_actual,
           count(*) as workforce_of_year,
           count(*) filter (where exit_date is null) as year_end_headcount
    from {{ ref('sqlmode_y_people') }}
)
select n.simulation_year, n."N", n."P", n."X", n.target, n."R", n."Q", n."Te", n.net, n."H", n."Tnh",
       d.r_actual::BIGINT as "R_actual",
       d.te_actual::BIGINT as "Te_actual",
       (n."Te" - d.te_actual)::BIGINT as experienced_termination_shortfall,
       d.tnh_actual::BIGINT as "Tnh_actual",
       (n."Tnh" - d.tnh_actual)::BIGINT as nh_termination_shortfall,
       d.h_actual::BIGINT as "H_actual",
       d.workforce_of_year::BIGINT as workforce_of_year,
       d.year_end_headcount::BIGINT as year_end_headcount
from {{ ref('sqlmode_y_needs') }} n cross join done d
