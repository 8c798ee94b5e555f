{#- docs/model.md 4.2 (experienced terminations), with the exits decided
    elsewhere joined in: the workforce of the simulation year, one row per
    employee (S(y) and the year's hires), with who leaves and why.
    Retirements (4.1) and the exit day come from sqlmode_y_start, Te from
    sqlmode_y_needs, the hires and their new-hire terminations (4.4, 4.5)
    from sqlmode_y_hires. C: sim.c experienced_terminations. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}

with exp_rank as (
    select employee_id,
           row_number() over (order by u_termination / hazard, employee_id) as k_rank
    from {{ ref('sqlmode_y_start') }}
    where not retires
),
stayers as (
    select s.employee_id, s.birth_date, s.hire_date, s.level_id, s.salary_cents, s.deferral_bp,
           s.enrolled, s.enrollment_date, s.enrollment_source, s.ever_opted_out, s.auto_escalation_opt_out,
           s.pending_optout_date, s.pending_optout_p, false as is_hire,
           s.elig_date, s.age_y, s.tenure_y,
           s.voluntary_probability, s.conversion_probability, s.voluntary_deferral_bp, s.opt_out_probability,
           s.promotion_base, s.promo_age_mult, s.promo_tenure_mult,
           case when s.retires then s.exit_day
                when r.k_rank <= (select "Te" from {{ ref('sqlmode_y_needs') }}) then s.exit_day end as exit_date,
           case when s.retires then 'retirement'
                when r.k_rank <= (select "Te" from {{ ref('sqlmode_y_needs') }}) then 'experienced_termination' end as exit_category,
           case when s.retires then {{ sqlmode_lit('workforce', 'retirement_probability', 'double') }}
                when r.k_rank <= (select "Te" from {{ ref('sqlmode_y_needs') }}) then s.hazard end as exit_probability
    from {{ ref('sqlmode_y_start') }} s
    left join exp_rank r using (employee_id)
),
hires as (
    select h.employee_id, h.birth_date, h.hire_date, h.level_id, h.salary_cents, 0::BIGINT as deferral_bp,
           false as enrolled, CAST(NULL AS DATE) as enrollment_date, CAST(NULL AS VARCHAR) as enrollment_source,
           false as ever_opted_out, false as auto_escalation_opt_out,
           CAST(NULL AS DATE) as pending_optout_date, CAST(NULL AS DOUBLE) as pending_optout_p, true as is_hire,
           {{ sqlmode_elig('h.birth_date', 'h.hire_date') }} as elig_date,
           {{ sqlmode_age('h.birth_date', 'h.hire_date') }} as age_y, 0 as tenure_y,
           b.voluntary_probability, b.conversion_probability, b.voluntary_deferral_bp, b.opt_out_probability,
           CAST(NULL AS DOUBLE) as promotion_base, CAST(NULL AS DOUBLE) as promo_age_mult, CAST(NULL AS DOUBLE) as promo_tenure_mult,
           h.exit_date,
           case when h.exit_date is not null then 'new_hire_termination' end as exit_category,
           CAST(NULL AS DOUBLE) as exit_probability
    from {{ ref('sqlmode_y_hires') }} h
    left join {{ ref('sqlmode_p_behaviour') }} b
      on {{ sqlmode_age('h.birth_date', 'h.hire_date') }} >= b.min_age and {{ sqlmode_age('h.birth_date', 'h.hire_date') }} < b.max_age
     and h.salary_cents >= b.min_cents and h.salary_cents < b.max_cents
)
select *,
       case when voluntary_probability is null
            then error('SQL mode: salary of ' || employee_id || ' at hire in {{ y }} is at or above the top income segment maximum')
            end as segment_check
from (select * from stayers union all by name select * from hires)
