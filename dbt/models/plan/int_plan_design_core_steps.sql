{#-
  Graded core rates of each plan design: from min_value completed years
  of service (basis 'service') or of age (basis 'age') on the as-of date,
  the core rate is rate_bp (10000 = 100 %), the highest step reached
  applying; below the first step, none. A design with service steps uses
  them; else its age steps; else its flat core.rate (int_plan_designs).
-#}
{%- set rows = [] -%}
{%- for key, d in plan_designs() -%}
  {%- for basis in ['service', 'age'] -%}
    {%- for step in d['core']['by_' ~ basis] or [] -%}
      {%- do rows.append((key, basis, step['min_years' if basis == 'service' else 'min_age'], step['rate'])) -%}
    {%- endfor -%}
  {%- endfor -%}
{%- endfor %}
{%- if rows | length > 0 %}
select design_key, basis, min_value::INTEGER as min_value, round(rate * 10000)::BIGINT as rate_bp
from (values
{%- for key, basis, m, r in rows %}
    ({{ state_sql_string(key) }}, '{{ basis }}', {{ m }}, {{ r }}::DECIMAL(9, 4)){{ ',' if not loop.last }}
{%- endfor %}
) as v(design_key, basis, min_value, rate)
{%- else %}
select NULL::VARCHAR as design_key, NULL::VARCHAR as basis, NULL::INTEGER as min_value,
       NULL::BIGINT as rate_bp
where false
{%- endif %}
