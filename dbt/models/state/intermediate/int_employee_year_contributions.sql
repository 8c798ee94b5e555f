{#-
  Prorated pay and plan contributions per employee-year, in cents.

  prorated compensation = sum over segments of salary * days / days_in_year;
  plan compensation     = min(prorated, 401(a)(17) limit);
  employee contributions= sum of salary * deferral * days / days_in_year,
                          scaled by plan/prorated compensation when the
                          401(a)(17) limit binds, then capped at the 402(g)
                          limit plus the catch-up when the employee is at
                          least catch_up_age on December 31 (IRS: attains
                          50 in the calendar year);
  employer match        = per segment, pay times the tiered match rate of
                          the segment's deferral rate (seeds/plan/
                          employer_match_tiers.csv), scaled like the
                          contributions and by contributions/uncapped when
                          the 402(g) cap binds (match follows the deferrals
                          actually made);
  employer core         = core rate times the pay of segments on or after
                          elig(e) (all pay when requires_eligibility is
                          false), scaled by the 401(a)(17) ratio.
  Sums are exact integers (HUGEINT); each result is rounded half away from
  zero once, at the end.
-#}
with seg as (
    select * from {{ ref('int_pay_segments') }}
),

tiers as (
    select
        (deferral_from * 10000)::BIGINT     as from_bp,
        (deferral_to * 10000)::BIGINT       as to_bp,
        (match_rate * 10000)::BIGINT        as rate_bp
    from {{ ref('employer_match_tiers') }}
),

match_rates as (
    -- match per unit of pay for each deferral rate in use, in 1e-8 units
    select
        d.deferral_bp,
        coalesce(sum(t.rate_bp * greatest(0, least(d.deferral_bp, t.to_bp) - t.from_bp)), 0)::BIGINT
            as match_rate_e8
    from (select distinct deferral_bp from seg) as d
    cross join tiers as t
    group by d.deferral_bp
),

core as (
    select
        (core_contribution_rate * 10000)::BIGINT    as core_bp,
        requires_eligibility
    from {{ ref('employer_core_contribution') }}
    limit 1
),

sums as (
    select
        {{ state_rep('s') }},
        s.employee_id,
        s.simulation_year,
        min(s.days_in_year)                                                         as days_in_year,
        (sum(s.days))::INTEGER                                                        as days_employed,
        (sum(s.days) filter (where s.deferral_bp > 0))::INTEGER                       as days_deferring,
        sum(s.salary_cents::HUGEINT * s.days)                                       as pay_cent_days,
        sum(s.salary_cents::HUGEINT * s.days) filter (where s.is_eligible)          as eligible_pay_cent_days,
        sum(s.salary_cents::HUGEINT * s.days * s.deferral_bp)                       as deferral_cent_days_bp,
        sum(s.salary_cents::HUGEINT * s.days * coalesce(m.match_rate_e8, 0))        as match_cent_days_e8
    from seg as s
    left join match_rates as m using (deferral_bp)
    group by {{ state_rep('s') }}, s.employee_id, s.simulation_year
),

amounts as (
    select
        {{ state_rep('x') }},
        x.employee_id,
        x.simulation_year,
        x.days_employed,
        coalesce(x.days_deferring, 0)                                               as days_deferring,
        round(x.pay_cent_days::DOUBLE / x.days_in_year::DOUBLE)::BIGINT             as prorated_cents,
        round(coalesce(x.eligible_pay_cent_days, 0)::DOUBLE / x.days_in_year::DOUBLE)::BIGINT
                                                                                    as eligible_cents,
        x.deferral_cent_days_bp::DOUBLE / (x.days_in_year::DOUBLE * 10000::DOUBLE)  as deferral_cents_raw,
        x.match_cent_days_e8::DOUBLE / (x.days_in_year::DOUBLE * 100000000::DOUBLE) as match_cents_raw
    from sums as x
),

limited as (
    select
        a.*,
        st.birth_date,
        l.elective_deferral_limit,
        l.catch_up_limit,
        l.compensation_limit,
        l.basis                                                                     as limits_basis,
        {{ sqlmode_years('st.birth_date', 'st.year_end') }} >= l.catch_up_age    as is_catch_up_eligible,
        least(a.prorated_cents, l.compensation_limit * 100)                         as plan_cents,
        case when a.prorated_cents > l.compensation_limit * 100
             then (l.compensation_limit * 100)::DOUBLE / a.prorated_cents::DOUBLE
             else 1::DOUBLE end                                                     as comp_limit_ratio
    from amounts as a
    join {{ ref('int_employee_year_end_state') }} as st using ({{ state_rep() }}, employee_id, simulation_year)
    join {{ ref('int_plan_limits') }} as l using (simulation_year)
),

capped as (
    select
        *,
        (elective_deferral_limit + case when is_catch_up_eligible then catch_up_limit else 0 end) * 100
                                                                                    as deferral_limit_cents,
        round(deferral_cents_raw * comp_limit_ratio)::BIGINT                        as uncapped_contribution_cents
    from limited
)

select
    {{ state_rep('c') }},
    c.employee_id,
    c.simulation_year,
    c.days_employed,
    c.days_deferring,
    c.is_catch_up_eligible,
    c.limits_basis,
    (c.prorated_cents / 100)::DECIMAL(18, 2)                                        as prorated_compensation,
    (c.plan_cents / 100)::DECIMAL(18, 2)                                            as plan_compensation,
    (c.deferral_limit_cents / 100)::DECIMAL(18, 2)                                  as deferral_limit,
    (c.uncapped_contribution_cents / 100)::DECIMAL(18, 2)                           as uncapped_employee_contributions,
    (least(c.uncapped_contribution_cents, c.deferral_limit_cents) / 100)::DECIMAL(18, 2)
                                                                                    as employee_contributions,
    c.uncapped_contribution_cents > c.deferral_limit_cents                          as is_at_deferral_limit,
    (round(c.match_cents_raw * c.comp_limit_ratio
           * case when c.uncapped_contribution_cents > c.deferral_limit_cents
                  then c.deferral_limit_cents::DOUBLE / c.uncapped_contribution_cents::DOUBLE
                  else 1::DOUBLE end)::BIGINT / 100)::DECIMAL(18, 2)                as employer_match,
    (round(co.core_bp::DOUBLE / 10000::DOUBLE
           * (case when co.requires_eligibility then c.eligible_cents else c.prorated_cents end)::DOUBLE
           * c.comp_limit_ratio)::BIGINT / 100)::DECIMAL(18, 2)                     as employer_core
from capped as c
cross join core as co
