{#- New-hire ages (docs/model.md 2.3) with weights in ppm, accumulated in
    ascending age: an age is drawn when its cumulative weight is the first
    one above pick(total). -#}
{{ config(materialized='view') }}
with w as (
    select age::INTEGER as age, {{ sqlmode_units('weight', 6) }}::BIGINT as weight_ppm
    from {{ ref('new_hire_ages') }}
)
select age, weight_ppm,
       sum(weight_ppm) over (order by age rows between unbounded preceding and current row)::BIGINT as cum_ppm,
       sum(weight_ppm) over ()::BIGINT as total_ppm
from w
