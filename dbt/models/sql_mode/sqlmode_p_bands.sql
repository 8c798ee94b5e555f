{#- Salary bands by year in cents (docs/model.md 3): band(start_year) = the
    levels table times 100; band(y+1) = round(band(y) * (1 + growth)),
    minimum and maximum separately, each year from the previous year's
    rounded value. One row per (simulation_year, level_id).

    The recursion runs on DOUBLE (every band is a whole number below 2^53,
    exact as a double) and stops at a band past the largest salary, 2^53 - 1
    cents (docs/model.md 6); such a band refuses the run with error(), naming
    the first one by (year, level), as the engine does when it grows the
    bands, instead of a BIGINT cast failing on a value it cannot hold. -#}
{{ config(materialized='view') }}
{%- set top = "9007199254740991::DOUBLE" -%}
{%- set g = "(1.0::DOUBLE + " ~ sqlmode_lit('compensation', 'salary_structure_growth', 'double') ~ ")" -%}
with recursive bands(simulation_year, level_id, band_min, band_max) as (
    select {{ sqlmode_lit('simulation', 'start_year', 'int') }}::BIGINT,
           level_id, (min_dollars * 100)::DOUBLE, (max_dollars * 100)::DOUBLE
    from {{ ref('sqlmode_p_levels') }}
    union all
    select simulation_year + 1, level_id,
           round(band_min * {{ g }}), round(band_max * {{ g }})
    from bands
    where simulation_year < {{ sqlmode_lit('simulation', 'end_year', 'int') }}
      and band_min <= {{ top }} and band_max <= {{ top }}
),
too_large as (
    select 'SQL mode: salary band of level ' || level_id || ', year ' || simulation_year
           || ', salary structure growth: '
           || CAST(CASE WHEN band_min > {{ top }} THEN band_min ELSE band_max END AS VARCHAR)
           || ' cents would exceed the model''s largest salary, 2^53 - 1 cents'
           || ' (90071992547409.91 dollars)' as msg
    from bands
    where band_min > {{ top }} or band_max > {{ top }}
    order by simulation_year, level_id
    limit 1
)
select simulation_year, level_id, band_min::BIGINT as band_min, band_max::BIGINT as band_max
from bands
-- a filter, not a column, so that no query of the view can leave it out
where (band_min <= {{ top }} and band_max <= {{ top }}) or error((select msg from too_large))
