-- Event deferral rates are fractions in [0, 1], present on every
-- enrollment, enrollment_change and escalation; an escalation raises the
-- rate and never above the escalation cap of the configuration. (The cap
-- bounds escalations only: a census or voluntary rate may sit above it,
-- as docs/model.md's tables allow.) Reads the events only, so it runs even
-- when other tests on the events fail. The cap is the event's scenario's.
select 'event' as what, scenario_id, random_seed, employee_id, simulation_year,
       employee_deferral_rate as rate, prev_employee_deferral_rate as prev_rate
from {{ ref('stg_wfsim__events') }}
where employee_deferral_rate < 0 or employee_deferral_rate > 1
   or prev_employee_deferral_rate < 0 or prev_employee_deferral_rate > 1
   or (event_type in ('enrollment', 'enrollment_change', 'deferral_escalation')
       and employee_deferral_rate is null)
   or (event_type = 'deferral_escalation'
       and (employee_deferral_rate * 10000 > ({{ state_scenario_value_sql('auto_escalation', 'cap_bp') }})
            or employee_deferral_rate <= prev_employee_deferral_rate))

