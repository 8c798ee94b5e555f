{#- The events of the simulation year (docs/model.md 5.1), built from
    sqlmode_y_people: one row per event, with the level and salary in
    effect after it (a promotion or raise dated before it, or on the same
    day with an earlier type, counts), age and tenure on its date, and
    event_sequence by date, then type. -#}
{{ config(materialized='table') }}
{%- set y = sqlmode_year() -%}
{%- set scen = sqlmode_cfg('simulation', 'scenario_id') -%}
{%- set plan = sqlmode_cfg('simulation', 'plan_design_id') -%}
{%- set seed = sqlmode_cfg('simulation', 'random_seed') -%}
with p as (select * from {{ ref('sqlmode_y_people') }}),
raw as (
    select employee_id, 'hire' as event_type, 'new_hire' as event_category, hire_date as event_date,
           NULL::INTEGER as previous_level_id, NULL::BIGINT as prev_cents,
           NULL::BIGINT as deferral, NULL::BIGINT as prev_deferral, NULL::DOUBLE as event_probability
    from p where is_hire
    union all
    select employee_id, 'termination', exit_category, exit_date, NULL, NULL, NULL, NULL, exit_probability
    from p where exit_date is not null
    union all
    select employee_id, 'promotion', 'promotion', promotion_date, level_id, salary_cents, NULL, NULL, promo_p
    from p where promoted
    union all
    select employee_id, 'raise', case when m > 0 then 'merit' else 'cola' end, merit_date, NULL, salary_promo, NULL, NULL,
           case when m > 0 then {{ sqlmode_lit('compensation', 'merit_probability', 'double') }} end
    from p where raised
    union all
    select employee_id, 'eligibility', 'eligibility', elig_date, NULL, NULL, NULL, NULL, NULL
    from p where elig_event
    union all
    select employee_id, 'enrollment', enr_category, enr_date, NULL, NULL, enr_deferral, enr_prev_deferral, enr_probability
    from p where enr_event
    union all
    select employee_id, 'enrollment_change', 'opt_out', oo_date, NULL, NULL, 0, oo_prev_deferral, oo_probability
    from p where oo_date is not null
    union all
    select employee_id, 'deferral_escalation', 'auto_escalation', escalation_date, NULL, NULL, esc_deferral, deferral_e, NULL
    from p where esc_event
),
v as (
    select r.*, {{ wfsim_type_rank('r.event_type') }} as type_rank,
           p.birth_date, p.hire_date,
           p.promoted and (p.promotion_date < r.event_date
                           or (p.promotion_date = r.event_date and {{ wfsim_type_rank('r.event_type') }} >= {{ wfsim_type_rank_of('promotion') }})) as after_promo,
           p.raised and (p.merit_date < r.event_date
                         or (p.merit_date = r.event_date and {{ wfsim_type_rank('r.event_type') }} >= {{ wfsim_type_rank_of('raise') }})) as after_raise,
           p.level_id, p.level_after, p.salary_cents, p.salary_promo, p.salary_raise
    from raw r join p using (employee_id)
),
e as (
    select v.*,
           {{ sqlmode_age('v.birth_date', 'v.event_date') }} as employee_age,
           {{ sqlmode_years('v.hire_date', 'v.event_date') }} as employee_tenure
    from v
)
select {{ y }}::INTEGER as simulation_year,
       md5('{{ scen }}|{{ plan }}|{{ seed }}|' || e.employee_id || '|{{ y }}|' || e.event_type) as event_id,
       '{{ scen }}' as scenario_id,
       '{{ plan }}' as plan_design_id,
       {{ seed }}::BIGINT as random_seed,
       e.employee_id,
       e.event_type,
       e.event_category,
       e.event_date,
       row_number() over (partition by e.employee_id order by e.event_date, e.type_rank)::INTEGER as event_sequence,
       (case when e.after_promo then e.level_after else e.level_id end)::INTEGER as level_id,
       e.previous_level_id::INTEGER as previous_level_id,
       {{ sqlmode_money('case when e.after_raise then e.salary_raise when e.after_promo then e.salary_promo else e.salary_cents end') }} as compensation_amount,
       {{ sqlmode_money('e.prev_cents') }} as previous_compensation,
       {{ sqlmode_rate('e.deferral') }} as employee_deferral_rate,
       {{ sqlmode_rate('e.prev_deferral') }} as prev_employee_deferral_rate,
       e.employee_age::INTEGER as employee_age,
       e.employee_tenure::INTEGER as employee_tenure,
       ab.band_label as age_band,
       tb.band_label as tenure_band,
       e.event_probability::DOUBLE as event_probability
from e
left join {{ ref('age_bands') }} ab on e.employee_age >= ab.min_value and e.employee_age < ab.max_value
left join {{ ref('tenure_bands') }} tb on e.employee_tenure >= tb.min_value and e.employee_tenure < tb.max_value
