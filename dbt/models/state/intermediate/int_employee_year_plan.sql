{#-
  Vesting, forfeitures and HCE status per employee-year, under the
  replicate's plan design.

  - cumulative_employer_match / _core: the employer contributions of the
    employee in this replicate up to and including the year (money put
    in only: no investment returns, no account balances);
  - match_vested_pct / core_vested_pct: the design's schedule at the
    completed years of service on the as-of date (from the hire date;
    hours are not modelled);
  - forfeitures: in the termination year only, the unvested part of the
    cumulative contributions of each source (rounded to cents);
  - prior_year_compensation: the prorated compensation of the year
    before (the HCE look-back year); for a census employee in the first
    simulation year, the salary on January 1 (the look-back year is not
    simulated); none for a hire in the hire year;
  - is_hce: prior_year_compensation above the look-back year's threshold
    (int_plan_limits.hce_lookback_threshold) and, when the design elects
    the top-paid group, among the top 20 % of the replicate's employees of
    the year by prior_year_compensation (ties by employee_id; the
    statutory exclusions from the group's count are not modelled).
-#}
with c as (
    select * from {{ ref('int_employee_year_contributions') }}
),

st as (
    select {{ state_rep() }}, employee_id, simulation_year, is_new_hire, start_salary, termination_date
    from {{ ref('int_employee_year_end_state') }}
),

d as (
    select * from {{ ref('int_replicate_plan_design') }}
),

v as (
    select * from {{ ref('int_plan_design_vesting') }}
),

running as (
    select
        c.*,
        st.is_new_hire,
        st.termination_date,
        sum(c.employer_match) over w                                        as cumulative_employer_match,
        sum(c.employer_core) over w                                         as cumulative_employer_core,
        case when lag(c.simulation_year) over w = c.simulation_year - 1
             then lag(c.prorated_compensation) over w
             when not st.is_new_hire and lag(c.simulation_year) over w is null
             then st.start_salary
        end                                                                 as prior_year_compensation
    from c
    join st using ({{ state_rep() }}, employee_id, simulation_year)
    window w as (partition by {{ state_rep('c') }}, c.employee_id order by c.simulation_year
                 rows between unbounded preceding and current row)
),

vested as (
    select
        r.*,
        d.hce_top_paid_group,
        vm.vested_pct                                                       as match_vested_pct,
        vc.vested_pct                                                       as core_vested_pct
    from running as r
    join d using ({{ state_rep() }})
    join v as vm on vm.design_key = d.design_key and vm.source = 'match'
                and vm.years = least(r.service_years, 20)
    join v as vc on vc.design_key = d.design_key and vc.source = 'core'
                and vc.years = least(r.service_years, 20)
),

ranked as (
    select
        x.*,
        l.hce_lookback_threshold,
        x.prior_year_compensation > l.hce_lookback_threshold               as is_above_hce_threshold,
        row_number() over (partition by {{ state_rep('x') }}, x.simulation_year
                           order by x.prior_year_compensation desc nulls last, x.employee_id)
                                                                            as pay_rank,
        count(x.prior_year_compensation) over (partition by {{ state_rep('x') }}, x.simulation_year)
                                                                            as ranked_count
    from vested as x
    join {{ ref('int_plan_limits') }} as l using (simulation_year)
)

select
    {{ state_rep() }},
    employee_id,
    simulation_year,
    cumulative_employer_match,
    cumulative_employer_core,
    match_vested_pct,
    core_vested_pct,
    case when termination_date is not null
         then round(cumulative_employer_match * (1 - match_vested_pct), 2) else 0 end::DECIMAL(18, 2)
                                                                            as forfeited_match,
    case when termination_date is not null
         then round(cumulative_employer_core * (1 - core_vested_pct), 2) else 0 end::DECIMAL(18, 2)
                                                                            as forfeited_core,
    prior_year_compensation::DECIMAL(18, 2)                                 as prior_year_compensation,
    prior_year_compensation is not null and pay_rank <= ceil(0.2 * ranked_count)
                                                                            as is_top_paid_group,
    coalesce(is_above_hce_threshold, false)
        and (not hce_top_paid_group
             or (prior_year_compensation is not null and pay_rank <= ceil(0.2 * ranked_count)))
                                                                            as is_hce
from ranked
