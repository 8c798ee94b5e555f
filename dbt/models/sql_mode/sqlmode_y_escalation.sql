{#- docs/model.md 4.9 deferral escalation: the plan state on the effective date
    E, after the events dated before E and the enrollment / opt-out dated
    E (they come first on that day), and whether the escalation is due.
    C: sim_employee.c list_escalation, escalation_due. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}
{%- set edate = sqlmode_md(y, 'auto_escalation', 'effective_date') -%}
{%- set scope = sqlmode_cfg('auto_escalation', 'scope') -%}
{%- set cap = sqlmode_cfg('auto_escalation', 'cap_bp') | int -%}
{%- set inc = sqlmode_cfg('auto_escalation', 'increment_bp') | int -%}

with esc as (
    select e.*,
           e.enr_event and e.enr_date <= {{ edate }} as enr_le_e,
           e.oo_date is not null and e.oo_date <= {{ edate }} as oo_le_e
    from {{ ref('sqlmode_y_enrollment') }} e
),
esc2 as (
    select e.*,
           case when oo_le_e then false when enr_le_e then true else enrolled end as enrolled_e,
           case when oo_le_e then 0 when enr_le_e then enr_deferral else deferral_bp end as deferral_e,
           case when enr_le_e then enr_source else enrollment_source end as source_e,
           case when enr_le_e then enr_date else enrollment_date end as enr_date_e
    from esc e
)
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
