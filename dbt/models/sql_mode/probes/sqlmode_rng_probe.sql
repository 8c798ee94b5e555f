{#- The keyed draw of docs/model.md 1 for each input key: x, u, pick(365),
    pick(1000) (macros wf_rng_*_key of macros/rng.sql). -#}
{{ config(materialized='view') }}
select key,
       {{ wf_rng_x_key('key') }}::BIGINT as x,
       {{ wf_rng_u_key('key') }} as u,
       {{ wf_rng_pick_key('key', 365) }} as pick_365,
       {{ wf_rng_pick_key('key', 1000) }} as pick_1000
from {{ ref('sqlmode_probe_input') }}
