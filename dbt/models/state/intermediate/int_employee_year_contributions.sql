{#-
  Prorated pay and plan contributions per employee-year, in cents, under
  the replicate's plan design (int_replicate_plan_design, docs/config.md
  section plan_design; the default design is today's plan).

  service, age          = completed years from the hire date / birth date
                          on the as-of date (December 31, or the
                          termination date); hours are not modelled;
  prorated compensation = sum over segments of salary * days / days_in_year;
  plan compensation     = min(prorated, 401(a)(17) limit);
  employee contributions= sum of salary * deferral * days / days_in_year,
                          scaled by plan/prorated compensation when the
                          401(a)(17) limit binds, then capped at the 402(g)
                          limit plus the catch-up: the ages 60-63 catch-up
                          for an employee aged 60 to 63 on December 31,
                          else the age-50 one from catch_up_age (IRS:
                          attains the age in the calendar year);
  employer match        = per pay period (each pay segment): pay times the
                          formula's tiered rate of the segment's deferral
                          rate, scaled like the contributions and by
                          contributions/uncapped when the 402(g) cap binds;
                          with true_up: plan compensation times the tiered
                          rate of the year's effective deferral rate
                          (contributions / plan compensation). A service
                          band's tiers (match.by_service) replace the
                          formula's from its min_service_years of service
                          (the largest reached). Then capped at
                          match_max_dollars, and 0 without
                          match_min_service_years of service or, when
                          match_active_at_year_end, for a leaver;
  employer core         = core rate (flat, or the service / age step
                          reached) times the pay of segments on or after
                          elig(e), scaled by the 401(a)(17) ratio; 0
                          without core_min_service_years or, when
                          core_active_at_year_end, for a leaver;
  415(c)                = employee contributions other than catch-up plus
                          match plus core stay within the lesser of the
                          415(c) dollar limit and plan compensation: any
                          excess comes off the core first, then the match.
  Sums are exact integers (HUGEINT); each result is rounded half away from
  zero once, at the end.
-#}
with tiers as (
    select * from {{ ref('int_plan_design_tiers') }}
),

banded as (
    -- each employee-year's design and match band: the largest
    -- min_service_years of its design's tiers reached (0: the formula's)
    select
        y.*,
        coalesce((select max(t.min_service_years) from tiers as t
                   where t.design_key = y.design_key and t.min_service_years <= y.service_years), 0)
                                                                                    as band_years
    from (
        select
            {{ state_rep('st') }},
            st.employee_id,
            st.simulation_year,
            d.design_key,
            st.termination_date,
            {{ sqlmode_years('st.hire_date', 'coalesce(st.termination_date, st.year_end)') }}
                                                                                    as service_years,
            {{ sqlmode_years('st.birth_date', 'coalesce(st.termination_date, st.year_end)') }}
                                                                                    as age_as_of,
            {{ sqlmode_years('st.birth_date', 'st.year_end') }}                        as age_at_year_end
        from {{ ref('int_employee_year_end_state') }} as st
        join {{ ref('int_replicate_plan_design') }} as d using ({{ state_rep() }})
    ) as y
),

match_rates as (
    -- match per unit of pay for each deferral rate in use and band
    -- (min_service_years; 0 the formula's tiers), in 1e-8 units
    select
        t.design_key,
        t.min_service_years,
        r.deferral_bp,
        coalesce(sum(t.rate_bp * greatest(0, least(r.deferral_bp, t.to_bp) - t.from_bp)), 0)::BIGINT
            as match_rate_e8
    from (select distinct deferral_bp from {{ ref('int_pay_segments') }}) as r
    cross join tiers as t
    group by t.design_key, t.min_service_years, r.deferral_bp
),

sums as (
    -- one pass over the pay segments: pay, deferrals and, per segment, the
    -- pay times its deferral rate's match in the employee-year's band (no
    -- tiers in the band: NULL, a match of 0)
    select
        {{ state_rep('s') }},
        s.employee_id,
        s.simulation_year,
        min(b.design_key)                                                           as design_key,
        min(b.band_years)                                                           as band_years,
        -- the employee-year's termination, service and ages, one value per group
        min(b.termination_date)                                                     as termination_date,
        min(b.service_years)                                                        as service_years,
        min(b.age_as_of)                                                            as age_as_of,
        min(b.age_at_year_end)                                                      as age_at_year_end,
        min(s.days_in_year)                                                         as days_in_year,
        (sum(s.days))::INTEGER                                                        as days_employed,
        (sum(s.days) filter (where s.deferral_bp > 0))::INTEGER                       as days_deferring,
        sum(s.salary_cents::HUGEINT * s.days)                                       as pay_cent_days,
        sum(s.salary_cents::HUGEINT * s.days) filter (where s.is_eligible)          as eligible_pay_cent_days,
        sum(s.salary_cents::HUGEINT * s.days * s.deferral_bp)                       as deferral_cent_days_bp,
        sum(s.salary_cents::HUGEINT * s.days * m.match_rate_e8)                     as match_cent_days_e8
    from {{ ref('int_pay_segments') }} as s
    join banded as b using ({{ state_rep() }}, employee_id, simulation_year)
    left join match_rates as m
      on m.design_key = b.design_key and m.min_service_years = b.band_years
     and m.deferral_bp = s.deferral_bp
    group by {{ state_rep('s') }}, s.employee_id, s.simulation_year
),

amounts as (
    select
        {{ state_rep('x') }},
        x.employee_id,
        x.simulation_year,
        x.design_key,
        x.band_years,
        x.termination_date,
        x.service_years,
        x.age_as_of,
        x.age_at_year_end,
        x.match_cent_days_e8,
        x.days_in_year,
        x.days_employed,
        coalesce(x.days_deferring, 0)                                               as days_deferring,
        round(x.pay_cent_days::DOUBLE / x.days_in_year::DOUBLE)::BIGINT             as prorated_cents,
        round(coalesce(x.eligible_pay_cent_days, 0)::DOUBLE / x.days_in_year::DOUBLE)::BIGINT
                                                                                    as eligible_cents,
        x.deferral_cent_days_bp::DOUBLE / (x.days_in_year::DOUBLE * 10000::DOUBLE)  as deferral_cents_raw
    from sums as x
),

limited as (
    select
        a.*,
        l.elective_deferral_limit,
        l.annual_additions_limit,
        l.compensation_limit,
        l.basis                                                                     as limits_basis,
        a.age_at_year_end >= l.catch_up_age                                         as is_catch_up_eligible,
        case when a.age_at_year_end
                  between l.super_catch_up_min_age and l.super_catch_up_max_age
             then l.super_catch_up_limit
             when a.age_at_year_end >= l.catch_up_age
             then l.catch_up_limit
             else 0 end                                                             as catch_up_dollars,
        least(a.prorated_cents, l.compensation_limit * 100)                         as plan_cents,
        case when a.prorated_cents > l.compensation_limit * 100
             then (l.compensation_limit * 100)::DOUBLE / a.prorated_cents::DOUBLE
             else 1::DOUBLE end                                                     as comp_limit_ratio
    from amounts as a
    join {{ ref('int_plan_limits') }} as l using (simulation_year)
),

designed as (
    select
        x.*,
        d.match_true_up,
        d.match_max_dollars,
        x.service_years >= d.match_min_service_years
            and not (d.match_active_at_year_end and x.termination_date is not null) as match_allowed,
        x.service_years >= d.core_min_service_years
            and not (d.core_active_at_year_end and x.termination_date is not null)  as core_allowed,
        coalesce(
            (select max_by(c.rate_bp, c.min_value) from {{ ref('int_plan_design_core_steps') }} as c
              where c.design_key = x.design_key and c.basis = 'service' and c.min_value <= x.service_years),
            case when exists (select 1 from {{ ref('int_plan_design_core_steps') }} as c
                               where c.design_key = x.design_key and c.basis = 'service') then 0 end,
            (select max_by(c.rate_bp, c.min_value) from {{ ref('int_plan_design_core_steps') }} as c
              where c.design_key = x.design_key and c.basis = 'age' and c.min_value <= x.age_as_of),
            case when exists (select 1 from {{ ref('int_plan_design_core_steps') }} as c
                               where c.design_key = x.design_key and c.basis = 'age') then 0 end,
            round(d.core_rate * 10000)::BIGINT)                                     as core_bp
    from limited as x
    join {{ ref('int_replicate_plan_design') }} as d using ({{ state_rep() }})
),

capped as (
    select
        *,
        (elective_deferral_limit + catch_up_dollars) * 100                          as deferral_limit_cents,
        round(deferral_cents_raw * comp_limit_ratio)::BIGINT                        as uncapped_contribution_cents
    from designed
),

contributed as (
    select
        *,
        least(uncapped_contribution_cents, deferral_limit_cents)                    as contribution_cents
    from capped
),

true_up as (
    -- the tiered rate of the year's effective deferral rate, per unit of pay (1e-8)
    select
        {{ state_rep('c') }},
        c.employee_id,
        c.simulation_year,
        coalesce(sum(t.rate_bp::DOUBLE * greatest(0::DOUBLE,
            least(c.contribution_cents::DOUBLE * 10000::DOUBLE / nullif(c.plan_cents, 0)::DOUBLE,
                  t.to_bp::DOUBLE) - t.from_bp::DOUBLE)), 0::DOUBLE)               as true_up_rate_e8
    from contributed as c
    join tiers as t
      on t.design_key = c.design_key
     and t.min_service_years = c.band_years
    where c.match_true_up
    group by {{ state_rep('c') }}, c.employee_id, c.simulation_year
),

matched as (
    select
        c.*,
        case when not c.match_allowed then 0::BIGINT
             else least(
                 round(case
                     when c.match_true_up
                         then coalesce(u.true_up_rate_e8, 0) * c.plan_cents::DOUBLE / 100000000::DOUBLE
                     else coalesce(c.match_cent_days_e8, 0)::DOUBLE
                          / (c.days_in_year::DOUBLE * 100000000::DOUBLE)
                          * c.comp_limit_ratio
                          * case when c.uncapped_contribution_cents > c.deferral_limit_cents
                                 then c.deferral_limit_cents::DOUBLE / c.uncapped_contribution_cents::DOUBLE
                                 else 1::DOUBLE end
                     end)::BIGINT,
                 coalesce((c.match_max_dollars * 100)::BIGINT, 9223372036854775807::BIGINT))
        end                                                                         as match_cents_formula,
        case when not c.core_allowed then 0::BIGINT
             else round(c.core_bp::DOUBLE / 10000::DOUBLE
                        * c.eligible_cents::DOUBLE * c.comp_limit_ratio)::BIGINT
        end                                                                         as core_cents_formula,
        greatest(0, c.contribution_cents - c.elective_deferral_limit * 100)         as catch_up_cents,
        least(c.annual_additions_limit * 100, c.plan_cents)                         as additions_limit_cents
    from contributed as c
    left join true_up as u using ({{ state_rep() }}, employee_id, simulation_year)
),

excess as (
    select
        *,
        greatest(0, contribution_cents - catch_up_cents + match_cents_formula + core_cents_formula
                    - additions_limit_cents)                                        as excess_cents
    from matched
)

select
    {{ state_rep('c') }},
    c.employee_id,
    c.simulation_year,
    c.days_employed,
    c.days_deferring,
    c.is_catch_up_eligible,
    c.limits_basis,
    c.service_years,
    (c.prorated_cents / 100)::DECIMAL(18, 2)                                        as prorated_compensation,
    (c.plan_cents / 100)::DECIMAL(18, 2)                                            as plan_compensation,
    (c.deferral_limit_cents / 100)::DECIMAL(18, 2)                                  as deferral_limit,
    (c.catch_up_dollars)::DECIMAL(18, 2)                                            as catch_up_limit,
    (c.uncapped_contribution_cents / 100)::DECIMAL(18, 2)                           as uncapped_employee_contributions,
    (c.contribution_cents / 100)::DECIMAL(18, 2)                                    as employee_contributions,
    (c.catch_up_cents / 100)::DECIMAL(18, 2)                                        as catch_up_contributions,
    c.uncapped_contribution_cents > c.deferral_limit_cents                          as is_at_deferral_limit,
    c.band_years > 0                                                                as uses_service_tiers,
    ((c.match_cents_formula - least(c.match_cents_formula, greatest(0, c.excess_cents - c.core_cents_formula))) / 100)::DECIMAL(18, 2)
                                                                                    as employer_match,
    ((c.core_cents_formula - least(c.core_cents_formula, c.excess_cents)) / 100)::DECIMAL(18, 2)
                                                                                    as employer_core,
    (c.additions_limit_cents / 100)::DECIMAL(18, 2)                                 as annual_additions_limit,
    ((c.contribution_cents - c.catch_up_cents + c.match_cents_formula + c.core_cents_formula
      - least(c.excess_cents, c.match_cents_formula + c.core_cents_formula)) / 100)::DECIMAL(18, 2)
                                                                                    as annual_additions,
    c.excess_cents > 0                                                              as is_at_annual_additions_limit
from excess as c
