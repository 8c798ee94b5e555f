{#- MODEL.md 4.6 merit and cost of living: who may draw (everyone but the
    year's hires, active on the merit date), the merit rate m (0 without a
    merit: the draw missed, or the salary after a promotion is at the
    band's top) and the salary after the raise. C: sim_employee.c
    merit_may_draw, list_raise, apply_raise. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set mdate = sqlmode_md(y, 'compensation', 'merit_date') -%}

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
           case when merit_may_draw
                then round(salary_promo::DOUBLE * ((1.0::DOUBLE + m) + {{ sqlmode_lit('compensation', 'cola_rate', 'double') }}))::BIGINT
                else salary_promo end as salary_raise
    from merit2
)
select merit3.*,
       salary_raise <> salary_promo as raised
from merit3
