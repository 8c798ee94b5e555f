-- docs/model.md 5.1: event_id is the lower-hex MD5 of
-- "{scenario_id}|{plan_design_id}|{seed}|{employee_id}|{y}|{event_type}",
-- y being the event's partition year.
select simulation_year, employee_id, event_type, event_id
from {{ ref('stg_wfsim__events') }}
where event_id <> md5(scenario_id || '|' || plan_design_id || '|' || random_seed::VARCHAR || '|'
                      || employee_id || '|' || simulation_year::VARCHAR || '|' || event_type)
