{#- Workforce needs of docs/model.md 4.1 for the simulation year, integers only
    (HUGEINT, macro sqlmode_needs_calc): one row with N, P, X, target, R,
    Q, Te, net, H, Tnh. -#}
{{ config(materialized='table') }}
{%- set y = sqlmode_year() -%}
with c as (
    select count(*) as n,
           count(*) filter (where year(hire_date) = {{ y - 1 }}) as p,
           count(*) filter (where retires) as r,
           {{ sqlmode_cfg('workforce', 'target_growth_rate_ppm') | int }} as g,
           {{ sqlmode_cfg('workforce', 'termination_rate_ppm') | int }} as te,
           {{ sqlmode_cfg('workforce', 'new_hire_termination_rate_ppm') | int }} as tnh
    from {{ ref('sqlmode_y_start') }}
),
needs as (
    {{ sqlmode_needs_calc('c') }}
)
select {{ y }}::INTEGER as simulation_year,
       n::BIGINT as "N", p::BIGINT as "P", x::BIGINT as "X", target::BIGINT as target,
       r::BIGINT as "R", q::BIGINT as "Q", te_final::BIGINT as "Te", net::BIGINT as net,
       h::BIGINT as "H", tnh_final::BIGINT as "Tnh"
{%- if y == sqlmode_cfg('simulation', 'start_year') | int %},
       case when n = 0 then error('SQL mode: the census has no active employee') end as census_check
{%- endif %}
from needs
