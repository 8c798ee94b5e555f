{#-
  IRS limits for every simulation year, whole dollars. Published years come
  from seeds/plan/plan_limits.csv (with their source notice). A year after
  the last published one is an ASSUMPTION: the last published value grown
  by plan_limit_growth_rate a year (compounded, unrounded), each year's
  result rounded down to a multiple of plan_limit_rounding_dollars (basis
  'projected'); every dollar limit is projected so. A year before the
  first published one takes the first published values (basis
  'first_published').

  hce_lookback_threshold is the HCE threshold of the year before (the
  look-back year whose compensation decides who is an HCE this year),
  with the same rules for that year.
-#}
{%- set growth = var('plan_limit_growth_rate') -%}
{%- set step = var('plan_limit_rounding_dollars') -%}
{%- set dollars = ['elective_deferral_limit', 'catch_up_limit', 'compensation_limit',
                   'super_catch_up_limit', 'annual_additions_limit', 'hce_threshold'] -%}
with recursive published as (
    select
        plan_year::INTEGER                  as plan_year,
        {%- for c in dollars %}
        {{ c }}::BIGINT                     as {{ c }},
        {%- endfor %}
        catch_up_age::INTEGER               as catch_up_age,
        super_catch_up_min_age::INTEGER     as super_catch_up_min_age,
        super_catch_up_max_age::INTEGER     as super_catch_up_max_age,
        source::VARCHAR                     as source
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
        {%- for c in dollars %}
        {{ c }}::DOUBLE                     as {{ c }}_raw,
        {%- endfor %}
        catch_up_age,
        super_catch_up_min_age,
        super_catch_up_max_age
    from published
    where plan_year = (select max(plan_year) from published)

    union all

    select
        plan_year + 1,
        {%- for c in dollars %}
        {{ c }}_raw * (1 + {{ growth }}::DOUBLE),
        {%- endfor %}
        catch_up_age,
        super_catch_up_min_age,
        super_catch_up_max_age
    from projected
    where plan_year < (select max(simulation_year) from years)
),

projected_rounded as (
    select
        plan_year,
        {%- for c in dollars %}
        (floor({{ c }}_raw / {{ step }}) * {{ step }})::BIGINT      as {{ c }},
        {%- endfor %}
        catch_up_age,
        super_catch_up_min_age,
        super_catch_up_max_age,
        'projection (vars plan_limit_growth_rate, plan_limit_rounding_dollars)' as source
    from projected
    where plan_year > (select max(plan_year) from published)
),

all_years as (
    select *, 'published' as basis from published
    union all
    select *, 'projected' as basis from projected_rounded
),

first_published as (
    select * from published order by plan_year limit 1
)

select
    y.simulation_year,
    {%- for c in dollars %}
    coalesce(a.{{ c }}, f.{{ c }})                                  as {{ c }},
    {%- endfor %}
    coalesce(a.catch_up_age, f.catch_up_age)                        as catch_up_age,
    coalesce(a.super_catch_up_min_age, f.super_catch_up_min_age)    as super_catch_up_min_age,
    coalesce(a.super_catch_up_max_age, f.super_catch_up_max_age)    as super_catch_up_max_age,
    coalesce(p.hce_threshold, f.hce_threshold)                      as hce_lookback_threshold,
    coalesce(a.basis, 'first_published')                            as basis,
    coalesce(a.source, f.source)                                    as source
from years as y
left join all_years as a on a.plan_year = y.simulation_year
left join all_years as p on p.plan_year = y.simulation_year - 1
cross join first_published as f
