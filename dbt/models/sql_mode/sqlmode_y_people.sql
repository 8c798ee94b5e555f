{#- The workforce of the simulation year, one wide row per employee, with
    every decision of MODEL.md 4.2-4.9 and the resulting year-end state.

    Chronology (MODEL.md 0.4) is resolved per employee from dates: each
    decision tests "active on d" against the exit date, and the plan state
    on a day is the January 1 state changed by the (at most one) enrollment
    event and the (at most one) opt-out dated before it, or on it with an
    earlier type. docs/sqlmode.md explains why these cases are complete. -#}
{{ config(materialized='table') }}
{%- set y = sqlmode_year() -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set jan1 = "make_date(" ~ y ~ ", 1, 1)" -%}
{%- set pdate = sqlmode_md(y, 'compensation', 'promotion_date') -%}
{%- set mdate = sqlmode_md(y, 'compensation', 'merit_date') -%}
{%- set edate = sqlmode_md(y, 'auto_escalation', 'effective_date') -%}
{%- set vdate = sqlmode_md(y, 'voluntary_enrollment', 'enrollment_date') -%}
{%- set scope = sqlmode_cfg('auto_escalation', 'scope') -%}
{%- set cap = sqlmode_cfg('auto_escalation', 'cap_bp') | int -%}
{%- set inc = sqlmode_cfg('auto_escalation', 'increment_bp') | int -%}
{%- set top = "9007199254740991::DOUBLE" -%}  {#- the largest salary, cents (MODEL.md 6) -#}

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
),
w as (
    select *,
           case when voluntary_probability is null
                then error('SQL mode: salary of ' || employee_id || ' at hire in {{ y }} is at or above the top income segment maximum')
                end as segment_check
    from (select * from stayers union all by name select * from hires)
),
-- 4.3 promotions
promo as (
    select w.*,
           least(1.0::DOUBLE, (w.promotion_base * w.promo_age_mult) * w.promo_tenure_mult) as promo_p,
           not w.is_hire
             and w.level_id < (select max(level_id) from {{ ref('sqlmode_p_levels') }})
             and w.tenure_y >= 1 and w.age_y < 65
             and {{ sqlmode_active(pdate) }}
             and {{ sqlmode_u(seed, 'w.employee_id', y, 'promotion') }}
                 < least(1.0::DOUBLE, (w.promotion_base * w.promo_age_mult) * w.promo_tenure_mult) as promoted
    from w
),
promo1 as (
    select promo.*,
           case when promoted then level_id + 1 else level_id end as level_after,
           case when promoted
                then salary_cents::DOUBLE * (1.0::DOUBLE +
                       ({{ sqlmode_lit('compensation', 'promotion_raise_mean', 'double') }}
                        + {{ sqlmode_lit('compensation', 'promotion_raise_spread', 'double') }}
                          * (2.0::DOUBLE * {{ sqlmode_u(seed, 'employee_id', y, 'promotion_raise') }} - 1.0::DOUBLE)))
                end as x_promo
    from promo
),
-- a salary past 2^53 - 1 cents is never stored: it stays NULL and refuses
-- the year below (salary_refusal)
promo2 as (
    select promo1.*,
           promoted and not (x_promo <= {{ top }}) as promo_over,
           case when not promoted then salary_cents
                when x_promo <= {{ top }} then round(x_promo)::BIGINT end as salary_promo
    from promo1
),
-- 4.6 merit and cost of living
merit as (
    select p.*,
           not p.is_hire and {{ sqlmode_active(mdate) }} as merit_eligible,
           case when not p.is_hire and {{ sqlmode_active(mdate) }}
                     and {{ sqlmode_u(seed, 'p.employee_id', y, 'merit') }} < {{ sqlmode_lit('compensation', 'merit_probability', 'double') }}
                     and p.salary_promo < b.band_max
                then l.merit_rate else 0.0::DOUBLE end as m
    from promo2 p
    join {{ ref('sqlmode_p_levels') }} l on l.level_id = p.level_after
    join {{ ref('sqlmode_p_bands') }} b on b.level_id = p.level_after and b.simulation_year = {{ y }}
),
merit1 as (
    select merit.*,
           salary_promo::DOUBLE * ((1.0::DOUBLE + m) + {{ sqlmode_lit('compensation', 'cola_rate', 'double') }}) as x_raise
    from merit
),
merit2 as (
    select merit1.*,
           merit_eligible and not promo_over and not (x_raise <= {{ top }}) as raise_over,
           case when not merit_eligible then salary_promo
                when x_raise <= {{ top }} then round(x_raise)::BIGINT end as salary_raise
    from merit1
),
-- the first employee (id order, as the engine's rows) whose promotion or
-- raise would exceed the largest salary; error() below stops the year
salary_refusal as (
    select 'SQL mode: employee ' || employee_id || ', year {{ y }}, '
           || CASE WHEN promo_over THEN 'promotion'
                   WHEN m > 0 THEN 'merit raise' ELSE 'cost-of-living raise' END
           || ': ' || CAST(CASE WHEN promo_over THEN x_promo ELSE x_raise END AS VARCHAR)
           || ' cents would exceed the model''s largest salary, 2^53 - 1 cents'
           || ' (90071992547409.91 dollars)' as msg
    from merit2
    where promo_over or raise_over
    order by employee_id
    limit 1
),
-- 4.7 eligibility, 4.8 enrollment
enr as (
    select m.*,
           m.salary_raise <> m.salary_promo as raised,
           year(m.elig_date) = {{ y }} and {{ sqlmode_active('m.elig_date') }} as elig_event,
           m.elig_date + {{ sqlmode_lit('auto_enrollment', 'window_days', 'int') }}::INTEGER as auto_date,
           {{ sqlmode_lit('auto_enrollment', 'enabled', 'bool') }}
             and m.hire_date >= {{ sqlmode_lit('auto_enrollment', 'hire_date_cutoff', 'date') }}
             and not m.enrolled and not m.ever_opted_out
             and year(m.elig_date + {{ sqlmode_lit('auto_enrollment', 'window_days', 'int') }}::INTEGER) = {{ y }}
             and {{ sqlmode_active('m.elig_date + ' ~ sqlmode_lit('auto_enrollment', 'window_days', 'int') ~ '::INTEGER') }} as auto_event
    from merit2 m
),
enr2 as (
    select e.*,
           {{ sqlmode_lit('voluntary_enrollment', 'enabled', 'bool') }}
             and year(e.elig_date) = {{ y }} and not e.enrolled and not e.auto_event
             and {{ sqlmode_active('e.elig_date') }} as vol_candidate,
           {{ sqlmode_lit('voluntary_enrollment', 'enabled', 'bool') }}
             and e.elig_date < {{ jan1 }} and not e.enrolled and not e.auto_event
             and {{ sqlmode_active(vdate) }} as conv_candidate,
           {{ sqlmode_u(seed, 'e.employee_id', y, 'voluntary_enrollment') }} < e.voluntary_probability as vol_draw,
           {{ sqlmode_u(seed, 'e.employee_id', y, 'enrollment_conversion') }} < e.conversion_probability as conv_draw,
           e.auto_event and {{ sqlmode_u(seed, 'e.employee_id', y, 'opt_out') }} < e.opt_out_probability as opts_out,
           e.elig_date + {{ sqlmode_lit('auto_enrollment', 'window_days', 'int') }}::INTEGER
                       + {{ sqlmode_lit('auto_enrollment', 'opt_out_grace_days', 'int') }}::INTEGER as optout_date_new
    from enr e
),
enr3 as (
    select e.*,
           e.auto_event or (e.vol_candidate and e.vol_draw) or (e.conv_candidate and e.conv_draw) as enr_event,
           case when e.auto_event then e.auto_date
                when e.vol_candidate and e.vol_draw then e.elig_date
                when e.conv_candidate and e.conv_draw then {{ vdate }} end as enr_date,
           case when e.auto_event then 'auto_enrollment'
                when (e.vol_candidate and e.vol_draw) or (e.conv_candidate and e.conv_draw) then 'voluntary_enrollment' end as enr_category,
           case when e.auto_event then {{ sqlmode_cfg('auto_enrollment', 'default_deferral_rate_bp') | int }}::BIGINT
                when (e.vol_candidate and e.vol_draw) or (e.conv_candidate and e.conv_draw) then e.voluntary_deferral_bp end as enr_deferral,
           case when e.auto_event then 'auto'
                when (e.vol_candidate and e.vol_draw) or (e.conv_candidate and e.conv_draw) then 'voluntary' end as enr_source,
           case when e.auto_event then NULL
                when e.vol_candidate and e.vol_draw then e.voluntary_probability
                when e.conv_candidate and e.conv_draw then e.conversion_probability end as enr_probability,
           -- the opt-out dated in this year: carried from y - 1, or decided now
           case when e.pending_optout_date is not null and year(e.pending_optout_date) = {{ y }}
                     and e.enrolled and {{ sqlmode_active('e.pending_optout_date') }}
                then e.pending_optout_date
                when e.opts_out and year(e.optout_date_new) = {{ y }} and {{ sqlmode_active('e.optout_date_new') }}
                then e.optout_date_new end as oo_date,
           case when e.pending_optout_date is not null and year(e.pending_optout_date) = {{ y }}
                then e.pending_optout_p
                else e.opt_out_probability end as oo_probability
    from enr2 e
),
-- 4.9 escalation: the plan state on E, after the events dated before E
-- and the enrollment / opt-out dated E (they come first on that day)
esc as (
    select e.*,
           e.enr_event and e.enr_date <= {{ edate }} as enr_le_e,
           e.oo_date is not null and e.oo_date <= {{ edate }} as oo_le_e
    from enr3 e
),
esc2 as (
    select e.*,
           case when oo_le_e then false when enr_le_e then true else enrolled end as enrolled_e,
           case when oo_le_e then 0 when enr_le_e then enr_deferral else deferral_bp end as deferral_e,
           case when enr_le_e then enr_source else enrollment_source end as source_e,
           case when enr_le_e then enr_date else enrollment_date end as enr_date_e
    from esc e
),
esc3 as (
    select e.*,
           {{ sqlmode_lit('auto_escalation', 'enabled', 'bool') }}
             and e.enrolled_e
             {%- if scope == 'auto_enrolled' %} and e.source_e = 'auto'{% endif %}
             and e.deferral_e > 0 and e.deferral_e < {{ cap }}
             and {{ sqlmode_add_years('e.enr_date_e', sqlmode_lit('auto_escalation', 'delay_years', 'int')) }} <= {{ edate }}
             and not e.auto_escalation_opt_out
             and {{ sqlmode_active(edate) }} as esc_event,
           least({{ cap }}, e.deferral_e + {{ inc }})::BIGINT as esc_deferral
    from esc2 e
)
select {{ y }}::INTEGER as simulation_year,
       e.*,
       {{ pdate }} as promotion_date, {{ mdate }} as merit_date, {{ edate }} as escalation_date,
       case when e.oo_date is null then NULL
            when e.esc_event and {{ edate }} < e.oo_date then e.esc_deferral
            when e.enr_event and e.enr_date <= e.oo_date then e.enr_deferral
            else e.deferral_bp end as oo_prev_deferral,
       case when e.enr_event then e.deferral_bp end as enr_prev_deferral,
       -- year-end (or termination) state
       case when e.oo_date is not null then false when e.enr_event then true else e.enrolled end as enrolled_end,
       case when e.oo_date is not null then 0
            when e.esc_event then e.esc_deferral
            when e.enr_event then e.enr_deferral else e.deferral_bp end::BIGINT as deferral_end,
       case when e.enr_event then e.enr_source else e.enrollment_source end as source_end,
       case when e.enr_event then e.enr_date else e.enrollment_date end as enr_date_end,
       e.ever_opted_out or e.oo_date is not null as opted_end,
       case when e.raised then e.salary_raise else e.salary_promo end as salary_end,
       (select error(msg) from salary_refusal) as salary_check,
       -- an opt-out decided now but dated in y + 1
       case when e.opts_out and year(e.optout_date_new) = {{ y + 1 }} and e.exit_date is null
            then e.optout_date_new end as next_optout_date,
       case when e.opts_out and year(e.optout_date_new) = {{ y + 1 }} and e.exit_date is null
            then e.opt_out_probability end as next_optout_p
from esc3 e
