{#-
  Headcount and turnover by replicate and year. target and the quotas come from
  int_workforce_needs (the engine's generation_summary.json, or recomputed:
  figures_source says which). Rates are fractions (DOUBLE), NULL when the
  denominator is 0:
  - turnover_rate: all terminations / start headcount;
  - experienced_turnover_rate: (retirements + experienced terminations) /
    start headcount;
  - retirement_rate: retirements / start headcount;
  - new_hire_termination_rate: new-hire terminations / hires;
  - headcount_growth: end / start - 1.
-#}
select
    {{ state_rep() }},
    simulation_year,
    start_headcount,
    hires,
    retirements,
    experienced_terminations,
    new_hire_terminations,
    retirements + experienced_terminations + new_hire_terminations          as terminations,
    end_headcount,
    target,
    end_headcount - target                                                  as end_minus_target,
    hire_quota,
    te_quota,
    new_hire_termination_quota,
    has_shortfall,
    figures_source,
    (retirements + experienced_terminations + new_hire_terminations)::DOUBLE
        / nullif(start_headcount, 0)                                        as turnover_rate,
    (retirements + experienced_terminations)::DOUBLE / nullif(start_headcount, 0)
                                                                            as experienced_turnover_rate,
    retirements::DOUBLE / nullif(start_headcount, 0)                        as retirement_rate,
    new_hire_terminations::DOUBLE / nullif(hires, 0)                        as new_hire_termination_rate,
    end_headcount::DOUBLE / nullif(start_headcount, 0) - 1                  as headcount_growth
from {{ ref('int_workforce_needs') }}
