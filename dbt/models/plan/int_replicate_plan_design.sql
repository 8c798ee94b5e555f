{#-
  The plan design of each replicate (scenario_id, plan_design_id,
  random_seed): its scenario's design, else the '*' design
  (macros/plan_design.sql), with the design's settings.
-#}
{%- set keys = [] -%}
{%- for key, d in plan_designs() if key != '*' -%}{%- do keys.append(key) -%}{%- endfor %}
select
    {{ state_rep('r') }},
    d.*
from {{ ref('int_replicates') }} as r
join {{ ref('int_plan_designs') }} as d
  on d.design_key = {% if keys | length > 0 -%}
     case when r.scenario_id in ({% for k in keys %}{{ state_sql_string(k) }}{{ ', ' if not loop.last }}{% endfor %})
          then r.scenario_id else '*' end
  {%- else -%} '*' {%- endif %}
