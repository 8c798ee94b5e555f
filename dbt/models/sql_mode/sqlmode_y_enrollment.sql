{#- docs/model.md 4.8 enrollment, on the state at January 1: auto-enrollment
    and its opt-out draw, the voluntary decision (voluntary enrollment on
    the eligibility day in the year, or conversion on the enrollment date
    for those eligible before; written once, as voluntary_kind), and the
    opt-out dated in the year (carried from y - 1, or decided now).
    C: sim_employee.c auto_enrolls, voluntary_decision, list_enrollment. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set jan1 = "make_date(" ~ y ~ ", 1, 1)" -%}
{%- set vdate = sqlmode_md(y, 'voluntary_enrollment', 'enrollment_date') -%}
{%- set window = sqlmode_lit('auto_enrollment', 'window_days', 'int') ~ '::INTEGER' -%}

with auto as (
    select e.*,
           e.elig_date + {{ window }} as auto_date,
           {{ sqlmode_lit('auto_enrollment', 'enabled', 'bool') }}
             and e.hire_date >= {{ sqlmode_lit('auto_enrollment', 'hire_date_cutoff', 'date') }}
             and not e.enrolled and not e.ever_opted_out
             and year(e.elig_date + {{ window }}) = {{ y }}
             and {{ sqlmode_active('e.elig_date + ' ~ window) }} as auto_event
    from {{ ref('sqlmode_y_eligibility') }} e
),
voluntary as (
    select a.*,
           case when not {{ sqlmode_lit('voluntary_enrollment', 'enabled', 'bool') }}
                     or a.enrolled or a.auto_event then NULL
                when year(a.elig_date) = {{ y }}
                then case when {{ sqlmode_active('a.elig_date') }} then 'at_eligibility' end
                when a.elig_date < {{ jan1 }} and {{ sqlmode_active(vdate) }} then 'conversion'
                end as voluntary_kind,
           a.auto_event and {{ sqlmode_u(seed, 'a.employee_id', y, 'opt_out') }} < a.opt_out_probability as opts_out,
           a.elig_date + {{ window }}
                       + {{ sqlmode_lit('auto_enrollment', 'opt_out_grace_days', 'int') }}::INTEGER as optout_date_new
    from auto a
),
voluntary2 as (
    select v.*,
           case v.voluntary_kind
                when 'at_eligibility' then v.elig_date
                when 'conversion' then {{ vdate }} end as voluntary_date,
           case v.voluntary_kind
                when 'at_eligibility' then v.voluntary_probability
                when 'conversion' then v.conversion_probability end as voluntary_p,
           coalesce(case v.voluntary_kind
                when 'at_eligibility'
                then {{ sqlmode_u(seed, 'v.employee_id', y, 'voluntary_enrollment') }} < v.voluntary_probability
                when 'conversion'
                then {{ sqlmode_u(seed, 'v.employee_id', y, 'enrollment_conversion') }} < v.conversion_probability
                end, false) as voluntary_enrolls
    from voluntary v
)
select e.*,
       e.auto_event or e.voluntary_enrolls as enr_event,
       case when e.auto_event then e.auto_date
            when e.voluntary_enrolls then e.voluntary_date end as enr_date,
       case when e.auto_event then 'auto_enrollment'
            when e.voluntary_enrolls then 'voluntary_enrollment' end as enr_category,
       case when e.auto_event then {{ sqlmode_cfg('auto_enrollment', 'default_deferral_rate_bp') | int }}::BIGINT
            when e.voluntary_enrolls then e.voluntary_deferral_bp end as enr_deferral,
       case when e.auto_event then 'auto'
            when e.voluntary_enrolls then 'voluntary' end as enr_source,
       case when e.auto_event then NULL
            when e.voluntary_enrolls then e.voluntary_p end as enr_probability,
       -- the opt-out dated in this year: carried from y - 1, or decided now
       case when e.pending_optout_date is not null and year(e.pending_optout_date) = {{ y }}
                 and e.enrolled and {{ sqlmode_active('e.pending_optout_date') }}
            then e.pending_optout_date
            when e.opts_out and year(e.optout_date_new) = {{ y }} and {{ sqlmode_active('e.optout_date_new') }}
            then e.optout_date_new end as oo_date,
       case when e.pending_optout_date is not null and year(e.pending_optout_date) = {{ y }}
            then e.pending_optout_p
            else e.opt_out_probability end as oo_probability
from voluntary2 e
