{#- Levels of docs/model.md 2.3, typed: rates as correctly rounded DOUBLEs of
    the written decimal, new_hire_mix in ppm (exact), bounds in dollars. -#}
{{ config(materialized='view') }}
select
    level_id::INTEGER as level_id,
    name,
    min_compensation::BIGINT as min_dollars,
    max_compensation::BIGINT as max_dollars,
    CAST(trim(termination_base) AS DOUBLE) as termination_base,
    CAST(trim(promotion_base) AS DOUBLE) as promotion_base,
    CAST(trim(merit_rate) AS DOUBLE) as merit_rate,
    CAST(trim(new_hire_percentile) AS DOUBLE) as new_hire_percentile,
    {{ sqlmode_units('new_hire_mix', 6) }}::BIGINT as mix_ppm
from {{ ref('levels') }}
