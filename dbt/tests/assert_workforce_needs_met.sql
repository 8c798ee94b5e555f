-- The events carry out the quotas: hires = H every year; experienced
-- terminations = Te and new-hire terminations = Tnh unless a shortfall is
-- reported (never more than asked); and, when the engine's summary is
-- there, its N, P and R are what the state shows.
select *
from {{ ref('int_workforce_needs') }}
where hires <> hire_quota
   or experienced_terminations > te_quota
   or new_hire_terminations > new_hire_termination_quota
   or (not has_shortfall and (experienced_terminations <> te_quota
                              or new_hire_terminations <> new_hire_termination_quota))
   or (figures_source = 'generation_summary'
       and (summary_n <> start_headcount
            or summary_p <> prior_year_hires_in_start
            or summary_r <> retirements))
