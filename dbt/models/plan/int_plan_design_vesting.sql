{#-
  Vesting schedules of each plan design: the vested fraction of each
  source ('match', 'core') after 0..20 completed years of service (the
  year-20 value holds after). macros/plan_design.sql reads the schedule.
-#}
select design_key, source, years::INTEGER as years, vested_pct::DECIMAL(9, 4) as vested_pct
from (values
{%- for key, d in plan_designs() %}
  {%- set outer = loop %}
  {%- for source in ['match', 'core'] %}
    {%- set src_loop = loop %}
    {%- for pct in plan_vesting_table(d['vesting'][source]) %}
    ({{ state_sql_string(key) }}, '{{ source }}', {{ loop.index0 }}, {{ '%.4f' | format(pct) }}){{ ',' if not (outer.last and src_loop.last and loop.last) }}
    {%- endfor %}
  {%- endfor %}
{%- endfor %}
) as v(design_key, source, years, vested_pct)
