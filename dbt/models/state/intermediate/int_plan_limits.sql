{#-
  IRS limits for every simulation year, whole dollars. Published years come
  from seeds/plan/plan_limits.csv. A year after the last published one is
  an ASSUMPTION: the last published value grown by plan_limit_growth_rate
  a year (compounded, unrounded), each year's result rounded down to a
  multiple of plan_limit_rounding_dollars (basis 'projected'). A year
  before the first published one takes the first published values (basis
  'first_published').
-#}
{%- set growth = var('plan_limit_growth_rate') -%}
{%- set step = var('plan_limit_rounding_dollars') -%}
with recursive published as (
    select
        plan_year::INTEGER              as plan_year,
        elective_deferral_limit::BIGINT as elective_deferral_limit,
        catch_up_limit::BIGINT          as catch_up_limit,
        compensation_limit::BIGINT      as compensation_limit,
        catch_up_age::INTEGER           as catch_up_age
    from {{ ref('plan_limits') }}
),

years as (
    select simulation_year from {{ ref('int_simulation_years') }}
),

projected as (
    -- carries the unrounded indexed amounts (as the IRS indexes a base and
    -- rounds down each year's result, so small steps accumulate)
    select
        plan_year,
        elective_deferral_limit::DOUBLE     as edl_raw,
        catch_up_limit::DOUBLE              as cul_raw,
        compensation_limit::DOUBLE          as cl_raw,
        catch_up_age
    from published
    where plan_year = (select max(plan_year) from published)

    union all

    select
        plan_year + 1,
        edl_raw * (1 + {{ growth }}::DOUBLE),
        cul_raw * (1 + {{ growth }}::DOUBLE),
        cl_raw * (1 + {{ growth }}::DOUBLE),
        catch_up_age
    from projected
    where plan_year < (select max(simulation_year) from years)
),

projected_rounded as (
    select
        plan_year,
        (floor(edl_raw / {{ step }}) * {{ step }})::BIGINT    as elective_deferral_limit,
        (floor(cul_raw / {{ step }}) * {{ step }})::BIGINT    as catch_up_limit,
        (floor(cl_raw / {{ step }}) * {{ step }})::BIGINT     as compensation_limit,
        catch_up_age
    from projected
    where plan_year > (select max(plan_year) from published)
),

all_years as (
    select *, 'published' as basis from published
    union all
    select *, 'projected' as basis from projected_rounded
)

select
    y.simulation_year,
    coalesce(a.elective_deferral_limit, f.elective_deferral_limit)  as elective_deferral_limit,
    coalesce(a.catch_up_limit, f.catch_up_limit)                    as catch_up_limit,
    coalesce(a.compensation_limit, f.compensation_limit)            as compensation_limit,
    coalesce(a.catch_up_age, f.catch_up_age)                        as catch_up_age,
    coalesce(a.basis, 'first_published')                            as basis
from years as y
left join all_years as a on a.plan_year = y.simulation_year
cross join (select * from published order by plan_year limit 1) as f
