{#- Date rules of docs/model.md 3 for each input row: add_years(d1, n),
    years(d1, d2) (0 when d1 is after d2). -#}
{{ config(materialized='view') }}
select d1, n, d2,
       {{ sqlmode_add_years('d1', 'n') }} as added,
       {{ sqlmode_years('d1', 'd2') }} as years
from {{ ref('sqlmode_probe_input') }}
