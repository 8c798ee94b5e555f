-- Per year and level: end = start + hires + promotions in - promotions out
-- - retirements - experienced and new-hire terminations; and the levels
-- add up to the year's totals.
select * exclude (year_target)
from {{ ref('metrics_headcount_by_level') }}
where end_headcount <> start_headcount + hires + promotions_in - promotions_out
                       - retirements - experienced_terminations - new_hire_terminations
union all
select {{ state_rep('l') }}, l.simulation_year, NULL, sum(l.start_headcount), sum(l.hires), NULL, NULL,
       sum(l.retirements), sum(l.experienced_terminations), sum(l.new_hire_terminations),
       sum(l.end_headcount)
from {{ ref('metrics_headcount_by_level') }} as l
join {{ ref('metrics_workforce_by_year') }} as w using ({{ state_rep() }}, simulation_year)
group by {{ state_rep('l') }}, l.simulation_year, w.start_headcount, w.end_headcount
having sum(l.start_headcount) <> w.start_headcount or sum(l.end_headcount) <> w.end_headcount
