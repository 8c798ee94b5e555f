{#- docs/model.md 4.6 merit and cost of living: who may draw (everyone but the
    year's hires, active on the merit date), the merit rate m (0 without a
    merit: the draw missed, or the salary after a promotion is at the
    band's top) and the salary after the raise; a promotion or raise past
    the largest salary (2^53 - 1 cents) stops the year with error(). C:
    sim_employee.c merit_may_draw, list_raise, apply_raise, salary_step. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set mdate = sqlmode_md(y, 'compensation', 'merit_date') -%}
{%- set top = "9007199254740991::DOUBLE" -%}  {#- the largest salary, cents (docs/model.md 6) -#}

with merit as (
    select p.*,
           not p.is_hire and {{ sqlmode_active(mdate) }} as merit_may_draw,
           b.band_max, l.merit_rate
    from {{ ref('sqlmode_y_promotions') }} p
    join {{ ref('sqlmode_p_levels') }} l on l.level_id = p.level_after
    join {{ ref('sqlmode_p_bands') }} b on b.level_id = p.level_after and b.simulation_year = {{ y }}
),
merit2 as (
    select merit.* exclude (band_max, merit_rate),
           case when merit_may_draw
                     and {{ sqlmode_u(seed, 'employee_id', y, 'merit') }} < {{ sqlmode_lit('compensation', 'merit_probability', 'double') }}
                     and salary_promo < band_max
                then merit_rate else 0.0::DOUBLE end as m
    from merit
),
merit3 as (
    select merit2.*,
           salary_promo::DOUBLE * ((1.0::DOUBLE + m) + {{ sqlmode_lit('compensation', 'cola_rate', 'double') }}) as x_raise
    from merit2
),
merit4 as (
    select merit3.*,
           merit_may_draw and not promo_over and not (x_raise <= {{ top }}) as raise_over,
           case when not merit_may_draw then salary_promo
                when x_raise <= {{ top }} then round(x_raise)::BIGINT end as salary_raise
    from merit3
),
-- the first employee (id order, as the engine's rows) whose promotion or
-- raise would exceed the largest salary: error() stops the year with it
salary_refusal as (
    select 'SQL mode: employee ' || employee_id || ', year {{ y }}, '
           || CASE WHEN promo_over THEN 'promotion'
                   WHEN m > 0 THEN 'merit raise' ELSE 'cost-of-living raise' END
           || ': ' || CAST(CASE WHEN promo_over THEN x_promo ELSE x_raise END AS VARCHAR)
           || ' cents would exceed the model''s largest salary, 2^53 - 1 cents'
           || ' (90071992547409.91 dollars)' as msg
    from merit4
    where promo_over or raise_over
    order by employee_id
    limit 1
)
select merit4.*,
       salary_raise <> salary_promo as raised,
       -- a column, so that the materialized sqlmode_y_people computes it
       (select error(msg) from salary_refusal) as salary_check
from merit4
