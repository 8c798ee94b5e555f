{#- Salary bands by year in cents (MODEL.md 3): band(start_year) = the
    levels table times 100; band(y+1) = round(band(y) * (1 + growth)),
    minimum and maximum separately, each year from the previous year's
    rounded value. One row per (simulation_year, level_id). -#}
{{ config(materialized='view') }}
with recursive bands(simulation_year, level_id, band_min, band_max) as (
    select {{ sqlmode_lit('simulation', 'start_year', 'int') }}::BIGINT,
           level_id, min_dollars * 100, max_dollars * 100
    from {{ ref('sqlmode_p_levels') }}
    union all
    select simulation_year + 1, level_id,
           round(band_min::DOUBLE * (1.0::DOUBLE + {{ sqlmode_lit('compensation', 'salary_structure_growth', 'double') }}))::BIGINT,
           round(band_max::DOUBLE * (1.0::DOUBLE + {{ sqlmode_lit('compensation', 'salary_structure_growth', 'double') }}))::BIGINT
    from bands
    where simulation_year < {{ sqlmode_lit('simulation', 'end_year', 'int') }}
)
select simulation_year, level_id, band_min, band_max from bands
