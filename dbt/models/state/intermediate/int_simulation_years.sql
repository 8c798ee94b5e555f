{#-
  The simulation years, one row each, with the census date C and the days
  in the year, from wfsim_config's start_year/end_year.
-#}
{% set start_year = state_cfg('simulation', 'start_year') -%}
{%- set end_year = state_cfg('simulation', 'end_year') -%}
with bounds as (
    select {{ start_year }}::INTEGER as start_year, {{ end_year }}::INTEGER as end_year
)

select
    y::INTEGER                                                  as simulation_year,
    start_year,
    end_year,
    make_date(start_year - 1, 12, 31)                           as census_date,
    make_date(y::INTEGER, 1, 1)                                 as year_start,
    make_date(y::INTEGER, 12, 31)                               as year_end,
    date_diff('day', make_date(y::INTEGER, 1, 1), make_date(y::INTEGER + 1, 1, 1))::INTEGER
                                                                as days_in_year
from bounds, range(start_year, end_year + 1) as r(y)
