{#-
  The workforce of each year, one row per replicate (scenario_id,
  plan_design_id, random_seed), employee and year, rebuilt from
  the census and the events alone (event sourcing). The columns of docs/model.md
  5.2 come first, with its types and meanings, and equal the engine's own
  snapshot (test assert_snapshot_matches_engine), after the replicate
  key; then the derived ones:

  - status_code: continuing_active, new_hire_active, or the termination
    category (retirement, experienced_termination, new_hire_termination);
  - age, tenure: completed years on the as-of date (December 31, or the
    termination date), with their bands from the age_bands / tenure_bands
    seeds;
  - prorated pay and contributions for the year under the replicate's
    plan design (int_employee_year_contributions), then vesting,
    forfeitures and HCE status (int_employee_year_plan; docs/dbt.md).
-#}
with st as (
    select * from {{ ref('int_employee_year_end_state') }}
),

ages as (
    select
        *,
        coalesce(termination_date, year_end)                                as as_of_date,
        {{ sqlmode_years('birth_date', 'coalesce(termination_date, year_end)') }}::BIGINT
                                                                            as age,
        {{ sqlmode_years('hire_date', 'coalesce(termination_date, year_end)') }}::BIGINT
                                                                            as tenure
    from st
),

-- The bands by value: one row per (whole) age and tenure that occurs,
-- with the band holding it (min <= v < max), so that each band is found
-- by an equality join (a hash table) instead of a range join (which sorts
-- every employee-year). Only the values between the smallest and the
-- largest that occur are listed, whatever the bands' bounds.
seen as (
    select min(age) as age_lo, max(age) as age_hi,
           min(tenure) as tenure_lo, max(tenure) as tenure_hi
    from ages
),

age_bands as (
    select b.band_label,
           unnest(range(greatest(b.min_value, s.age_lo), least(b.max_value, s.age_hi + 1)))
                                                    as age
    from {{ ref('stg_wfsim__age_bands') }} as b
    cross join seen as s
),

tenure_bands as (
    select b.band_label,
           unnest(range(greatest(b.min_value, s.tenure_lo), least(b.max_value, s.tenure_hi + 1)))
                                                    as tenure
    from {{ ref('stg_wfsim__tenure_bands') }} as b
    cross join seen as s
)

select
    {{ state_rep('a') }},
    a.simulation_year,
    a.employee_id,
    case when a.termination_date is null then 'active' else 'terminated' end
                                                    as employment_status,
    a.birth_date,
    a.hire_date,
    a.termination_date,
    a.level_id,
    a.salary,
    a.eligibility_date,
    a.is_enrolled,
    a.deferral_rate,
    a.enrollment_source,
    a.ever_opted_out,
    -- derived
    case when a.termination_date is not null then a.termination_category
         when a.is_new_hire then 'new_hire_active'
         else 'continuing_active' end               as status_code,
    a.origin                                        as employee_origin,
    a.is_new_hire,
    a.as_of_date,
    a.age,
    a.tenure,
    ab.band_label                                   as age_band,
    tb.band_label                                   as tenure_band,
    a.eligibility_date <= a.as_of_date              as is_eligible,
    a.enrollment_date,
    a.start_level_id,
    a.start_salary,
    c.days_employed,
    c.days_deferring,
    c.prorated_compensation,
    c.plan_compensation,
    c.uncapped_employee_contributions,
    c.deferral_limit,
    c.is_catch_up_eligible,
    c.is_at_deferral_limit,
    c.employee_contributions,
    c.employer_match,
    c.employer_core,
    c.employer_match + c.employer_core              as employer_cost,
    c.limits_basis,
    -- plan design (docs/dbt.md "Plan design")
    c.service_years,
    c.catch_up_limit,
    c.catch_up_contributions,
    c.uses_service_tiers,
    c.annual_additions,
    c.annual_additions_limit,
    c.is_at_annual_additions_limit,
    p.match_vested_pct,
    p.core_vested_pct,
    p.cumulative_employer_match,
    p.cumulative_employer_core,
    p.forfeited_match,
    p.forfeited_core,
    p.forfeited_match + p.forfeited_core            as forfeitures,
    p.prior_year_compensation,
    p.is_top_paid_group,
    p.is_hce
from ages as a
left join age_bands as ab
  on ab.age = a.age
left join tenure_bands as tb
  on tb.tenure = a.tenure
left join {{ ref('int_employee_year_contributions') }} as c
  using ({{ state_rep() }}, employee_id, simulation_year)
left join {{ ref('int_employee_year_plan') }} as p
  using ({{ state_rep() }}, employee_id, simulation_year)
