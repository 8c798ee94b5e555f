{#-
  ADP and ACP nondiscrimination tests per replicate and year (IRC
  401(k)(3), 401(m)(2)), one row per test.

  Tested population: employees eligible on their as-of date (December 31,
  or the termination date). Each one's ratio is employee contributions
  (ADP) or employer match (ACP) over plan compensation, 0 for an eligible
  non-participant. hce_average and nhce_average are the group means of
  the ratios (HCEs: int_employee_year_plan.is_hce). The NHCE average the
  limit uses is the year's own (current_year method) or the year
  before's (prior_year method; in the first simulation year there is no
  year before, and the year's own is used: nhce_basis_year says which).

  limit_value = max(1.25 x NHCE, min(2 x NHCE, NHCE + 2 points)); passed when
  the HCE average is at most limit_value, margin = limit_value - HCE average (a
  fraction of pay; negative when failed). A design with a safe-harbor
  match formula is exempt (is_exempt; passed true, margin NULL). A year
  without HCEs passes.
-#}
with s as (
    select * from {{ ref('fct_workforce_snapshot') }}
    where is_eligible and plan_compensation > 0
),

ratios as (
    select {{ state_rep() }}, simulation_year, is_hce, 'ADP' as test,
           (employee_contributions / plan_compensation)::DOUBLE as ratio
    from s
    union all
    select {{ state_rep() }}, simulation_year, is_hce, 'ACP' as test,
           (employer_match / plan_compensation)::DOUBLE as ratio
    from s
),

groups as (
    select
        {{ state_rep() }},
        simulation_year,
        test,
        count(*) filter (where is_hce)                      as hce_count,
        count(*) filter (where not is_hce)                  as nhce_count,
        avg(ratio) filter (where is_hce)                    as hce_average,
        avg(ratio) filter (where not is_hce)                as nhce_current
    from ratios
    group by {{ state_rep() }}, simulation_year, test
),

based as (
    select
        g.*,
        d.ndt_method                                        as method,
        d.is_safe_harbor                                    as is_exempt,
        lag(g.nhce_current) over (partition by {{ state_rep('g') }}, g.test order by g.simulation_year)
                                                            as nhce_prior,
        lag(g.simulation_year) over (partition by {{ state_rep('g') }}, g.test order by g.simulation_year)
                                                            as prior_year
    from groups as g
    join {{ ref('int_replicate_plan_design') }} as d using ({{ state_rep() }})
),

limited as (
    select
        *,
        case when method = 'prior_year' and prior_year is not null then nhce_prior
             else nhce_current end                          as nhce_average,
        case when method = 'prior_year' and prior_year is not null then prior_year
             else simulation_year end                       as nhce_basis_year
    from based
)

select
    {{ state_rep() }},
    simulation_year,
    test,
    method,
    nhce_basis_year,
    hce_count,
    nhce_count,
    hce_average,
    nhce_average,
    greatest(1.25 * nhce_average, least(2 * nhce_average, nhce_average + 0.02))
                                                            as limit_value,
    is_exempt,
    is_exempt or hce_count = 0
        or hce_average <= greatest(1.25 * nhce_average, least(2 * nhce_average, nhce_average + 0.02))
                                                            as passed,
    case when is_exempt or hce_count = 0 then NULL
         else greatest(1.25 * nhce_average, least(2 * nhce_average, nhce_average + 0.02)) - hce_average
    end                                                     as margin
from limited
