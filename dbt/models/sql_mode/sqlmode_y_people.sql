{#- docs/model.md 4.10 year end: the workforce of the simulation year, one wide
    row per employee, with every decision of docs/model.md 4.2-4.9 (from the
    step models below, one per step, named as in the C engine) and the
    resulting year-end state.

      4.2 (and the exits of 4.1, 4.5)  sqlmode_y_experienced_terminations
      4.3                              sqlmode_y_promotions
      4.6                              sqlmode_y_raises
      4.7                              sqlmode_y_eligibility
      4.8                              sqlmode_y_enrollment
      4.9                              sqlmode_y_escalation

    The step models are ephemeral: each is a CTE of this one.
    Chronology (docs/model.md 0.4) is resolved per employee from dates: each
    decision tests "active on d" against the exit date, and the plan state
    on a day is the January 1 state changed by the (at most one) enrollment
    event and the (at most one) opt-out dated before it, or on it with an
    earlier type. docs/sqlmode.md explains why these cases are complete.
    C: sim.c year_end, sim_employee.c emit and snapshot_row. -#}
{{ config(materialized='table') }}
{%- set y = sqlmode_year() -%}
{%- set pdate = sqlmode_md(y, 'compensation', 'promotion_date') -%}
{%- set mdate = sqlmode_md(y, 'compensation', 'merit_date') -%}
{%- set edate = sqlmode_md(y, 'auto_escalation', 'effective_date') -%}

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
       -- an opt-out decided now but dated in y + 1
       case when e.opts_out and year(e.optout_date_new) = {{ y + 1 }} and e.exit_date is null
            then e.optout_date_new end as next_optout_date,
       case when e.opts_out and year(e.optout_date_new) = {{ y + 1 }} and e.exit_date is null
            then e.opt_out_probability end as next_optout_p
from {{ ref('sqlmode_y_escalation') }} e
