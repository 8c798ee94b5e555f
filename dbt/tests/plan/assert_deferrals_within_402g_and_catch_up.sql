-- Deferrals stay within the year's 402(g) limit plus the catch-up the
-- employee's age on December 31 allows (ages 60-63: the higher one).
with s as (
    select *, simulation_year - year(birth_date) as age_dec31
    from {{ ref('fct_workforce_snapshot') }}
)

select s.scenario_id, s.random_seed, s.employee_id, s.simulation_year, s.employee_contributions
from s
join {{ ref('int_plan_limits') }} as l using (simulation_year)
where s.employee_contributions > l.elective_deferral_limit
        + case when s.age_dec31 between l.super_catch_up_min_age and l.super_catch_up_max_age
               then l.super_catch_up_limit
               when s.age_dec31 >= l.catch_up_age then l.catch_up_limit
               else 0 end
   or s.catch_up_contributions > s.catch_up_limit
