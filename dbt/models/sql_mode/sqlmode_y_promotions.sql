{#- docs/model.md 4.3 promotions: who may draw (a candidate active on the
    promotion date), the draw, and the level and salary after a promotion
    (NULL, with promo_over, when it would exceed the largest salary).
    C: sim_employee.c promotion_may_draw, promoted, list_promotion,
    salary_step. -#}
{{ config(materialized='ephemeral') }}
{%- set y = sqlmode_year() -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set pdate = sqlmode_md(y, 'compensation', 'promotion_date') -%}
{#- candidates are younger than this, whatever the retirement age -#}
{%- set promotion_age_limit = 65 -%}
{%- set top = "9007199254740991::DOUBLE" -%}  {#- the largest salary, cents (docs/model.md 6) -#}

with promo as (
    select w.*,
           least(1.0::DOUBLE, (w.promotion_base * w.promo_age_mult) * w.promo_tenure_mult) as promo_p,
           not w.is_hire
             and w.level_id < (select max(level_id) from {{ ref('sqlmode_p_levels') }})
             and w.tenure_y >= 1 and w.age_y < {{ promotion_age_limit }}
             and {{ sqlmode_active(pdate) }} as promotion_may_draw
    from {{ ref('sqlmode_y_experienced_terminations') }} w
),
promo2 as (
    select promo.*,
           promotion_may_draw
             and {{ sqlmode_u(seed, 'employee_id', y, 'promotion') }} < promo_p as promoted
    from promo
),
promo3 as (
    select promo2.*,
           case when promoted
                then salary_cents::DOUBLE * (1.0::DOUBLE +
                       ({{ sqlmode_lit('compensation', 'promotion_raise_mean', 'double') }}
                        + {{ sqlmode_lit('compensation', 'promotion_raise_spread', 'double') }}
                          * (2.0::DOUBLE * {{ sqlmode_u(seed, 'employee_id', y, 'promotion_raise') }} - 1.0::DOUBLE)))
                end as x_promo
    from promo2
)
-- a salary past 2^53 - 1 cents is never stored: it stays NULL, and
-- sqlmode_y_raises stops the year with the refusal (promo_over)
select promo3.*,
       case when promoted then level_id + 1 else level_id end as level_after,
       promoted and not (x_promo <= {{ top }}) as promo_over,
       case when not promoted then salary_cents
            when x_promo <= {{ top }} then round(x_promo)::BIGINT end as salary_promo
from promo3
