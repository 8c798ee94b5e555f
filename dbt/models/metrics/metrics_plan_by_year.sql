{#-
  The 401(k) plan by replicate and year. Participation counts those active on December
  31: eligible = elig(e) on or before December 31; participating =
  enrolled with a deferral rate above 0; participation_rate =
  participating / eligible. average_deferral_rate is the mean rate of the
  participants (DOUBLE). Contributions and employer cost sum every
  employee-year (leavers too), after the IRS limits (docs/dbt.md).
  Enrollment activity is counted from the events.

  Plan design: forfeitures are the year's (leavers' unvested money);
  under forfeiture_policy offset_next_year they reduce the next year's
  employer contributions (forfeitures_applied = the lesser of the year
  before's forfeitures and this year's match + core; what is left over
  is not carried further), so net_employer_cost = employer_cost -
  forfeitures_applied; under pay_expenses they pay plan expenses and
  net_employer_cost = employer_cost. hce_headcount counts the year's HCEs
  (int_employee_year_plan).
-#}
with st as (
    select * from {{ ref('fct_workforce_snapshot') }}
),

ev as (
    select
        {{ state_rep() }},
        simulation_year,
        count(*) filter (where event_category = 'auto_enrollment')      as auto_enrollments,
        count(*) filter (where event_category = 'voluntary_enrollment') as voluntary_enrollments,
        count(*) filter (where event_category = 'opt_out')              as opt_outs,
        count(*) filter (where event_type = 'deferral_escalation')      as escalations
    from {{ ref('fct_yearly_events') }}
    group by {{ state_rep() }}, simulation_year
),

by_year as (
    select
        {{ state_rep() }},
        simulation_year,
        count(*) filter (where employment_status = 'active')                                  as active_headcount,
        count(*) filter (where employment_status = 'active' and is_eligible)                  as eligible_headcount,
        count(*) filter (where employment_status = 'active' and is_eligible
                           and is_enrolled and deferral_rate > 0)                             as participating_headcount,
        count(*) filter (where employment_status = 'active' and is_enrolled and deferral_rate > 0)
                                                                                              as enrolled_headcount,
        -- an exact decimal sum divided once: the same for any thread
        -- count or order (a DOUBLE avg is not; twin scenarios must match)
        (sum(deferral_rate) filter (where employment_status = 'active'
                                      and is_enrolled and deferral_rate > 0))::DOUBLE
            / nullif(count(*) filter (where employment_status = 'active'
                                        and is_enrolled and deferral_rate > 0), 0)::DOUBLE
                                                                                              as average_deferral_rate,
        sum(employee_contributions)                                                           as employee_contributions,
        sum(employer_match)                                                                   as employer_match,
        sum(employer_core)                                                                    as employer_core,
        sum(employer_cost)                                                                    as employer_cost,
        sum(plan_compensation)                                                                as plan_compensation,
        count(*) filter (where is_at_deferral_limit)                                          as employees_at_deferral_limit,
        sum(forfeitures)                                                                      as forfeitures,
        count(*) filter (where is_hce)                                                        as hce_headcount
    from st
    group by {{ state_rep() }}, simulation_year
)

select
    {{ state_rep('b') }},
    b.simulation_year,
    b.active_headcount,
    b.eligible_headcount,
    b.enrolled_headcount,
    b.participating_headcount,
    b.participating_headcount::DOUBLE / nullif(b.eligible_headcount, 0)     as participation_rate,
    b.average_deferral_rate,
    b.employee_contributions,
    b.employer_match,
    b.employer_core,
    b.employer_cost,
    b.plan_compensation,
    b.employer_cost::DOUBLE / nullif(b.plan_compensation, 0)::DOUBLE        as employer_cost_rate,
    b.employees_at_deferral_limit,
    b.forfeitures,
    b.forfeitures_applied::DECIMAL(38, 2)                                   as forfeitures_applied,
    (b.employer_cost - b.forfeitures_applied)::DECIMAL(38, 2)               as net_employer_cost,
    b.hce_headcount,
    coalesce(e.auto_enrollments, 0)                                         as auto_enrollments,
    coalesce(e.voluntary_enrollments, 0)                                    as voluntary_enrollments,
    coalesce(e.opt_outs, 0)                                                 as opt_outs,
    coalesce(e.escalations, 0)                                              as escalations
from (
    select
        y.*,
        case when d.forfeiture_policy = 'offset_next_year'
             then least(y.employer_cost,
                        coalesce(lag(y.forfeitures) over (partition by {{ state_rep('y') }}
                                                          order by y.simulation_year), 0))
             else 0 end                                                     as forfeitures_applied
    from by_year as y
    join {{ ref('int_replicate_plan_design') }} as d using ({{ state_rep() }})
) as b
left join ev as e using ({{ state_rep() }}, simulation_year)
