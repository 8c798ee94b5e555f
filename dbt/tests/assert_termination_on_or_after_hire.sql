-- No termination before the hire date; a new hire's termination comes at
-- least one day after the hire (docs/model.md 4.5), and at most one termination
-- per employee.
with t as (
    select {{ state_rep() }}, employee_id, count(*) as terminations, min(event_date) as first_termination,
           min(event_category) as category
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'termination'
    group by {{ state_rep() }}, employee_id
)

select t.*, e.hire_date
from t
join {{ ref('int_employees') }} as e using ({{ state_rep() }}, employee_id)
where t.terminations > 1
   or t.first_termination < e.hire_date
   or (t.category = 'new_hire_termination' and t.first_termination <= e.hire_date)
