-- Every year: end = start + hires - (retirements + experienced and new-hire
-- terminations), and next year's start = this year's end.
with w as (
    select * from {{ ref('int_workforce_needs') }}
)

select {{ state_rep() }}, simulation_year, start_headcount, hires, retirements,
       experienced_terminations, new_hire_terminations, end_headcount,
       lead(start_headcount) over (partition by {{ state_rep() }} order by simulation_year) as next_start
from w
qualify end_headcount <> start_headcount + hires - retirements
                         - experienced_terminations - new_hire_terminations
     or end_headcount <> coalesce(lead(start_headcount) over (partition by {{ state_rep() }} order by simulation_year),
                               end_headcount)
