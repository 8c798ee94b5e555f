{#- Workforce needs (macro sqlmode_needs_calc) for each input row of
    counts and rates. -#}
{{ config(materialized='view') }}
with i as (select n, p, r, g, te, tnh from {{ ref('sqlmode_probe_input') }}),
o as ({{ sqlmode_needs_calc('i') }})
select n::BIGINT as n, p::BIGINT as p, r::BIGINT as r, target::BIGINT as target, q::BIGINT as q,
       te_final::BIGINT as te, net::BIGINT as net, h::BIGINT as h, tnh_final::BIGINT as tnh
from o
