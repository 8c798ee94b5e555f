{#-
  One row per plan design (design_key: the scenario_id it belongs to, or
  '*' for every other scenario; macros/plan_design.sql) with its scalar
  settings (docs/config.md, section plan_design). is_safe_harbor marks
  the safe-harbor match formulas (exempt from the ADP and ACP tests).
-#}
{%- set designs = plan_designs() -%}
select * from (values
{%- for key, d in designs %}
    ({{ state_sql_string(key) }},
     {{ state_sql_string(d['match_formula']) }},
     {{ 'true' if d['match_formula'] in plan_safe_harbor_formulas() else 'false' }},
     {{ 'NULL' if d['match_max_dollars'] is none else d['match_max_dollars'] }}::DECIMAL(18, 2),
     {{ 'true' if d['match_true_up'] else 'false' }},
     {{ d['match_service_years'] | int }},
     {{ d['match_min_service_years'] | int }},
     {{ 'true' if d['match_active_at_year_end'] else 'false' }},
     {{ d['core_rate'] }}::DECIMAL(9, 4),
     {{ d['core_min_service_years'] | int }},
     {{ 'true' if d['core_active_at_year_end'] else 'false' }},
     {{ state_sql_string(d['vesting_match']) }},
     {{ state_sql_string(d['vesting_core']) }},
     {{ state_sql_string(d['forfeiture_policy']) }},
     {{ 'true' if d['hce_top_paid_group'] else 'false' }},
     {{ state_sql_string(d['ndt_method']) }}){{ ',' if not loop.last }}
{%- endfor %}
) as t(design_key, match_formula, is_safe_harbor, match_max_dollars, match_true_up,
       match_service_years, match_min_service_years, match_active_at_year_end,
       core_rate, core_min_service_years, core_active_at_year_end,
       vesting_match, vesting_core, forfeiture_policy, hce_top_paid_group, ndt_method)
