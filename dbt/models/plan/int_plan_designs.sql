{#-
  One row per plan design (design_key: the scenario_id it belongs to, or
  '*' for every other scenario; macros/plan_design.sql) with its scalar
  settings (docs/config.md, section plan_design). is_safe_harbor marks
  the safe-harbor match formulas (exempt from the ADP and ACP tests).
  The match tiers, service bands and core steps are
  int_plan_design_tiers and int_plan_design_core_steps.
-#}
{%- set designs = plan_designs() -%}
select * from (values
{%- for key, d in designs %}
  {%- set m, c = d['match'], d['core'] %}
    ({{ state_sql_string(key) }},
     {{ state_sql_string(m['formula']) }},
     {{ 'true' if m['formula'] in plan_safe_harbor_formulas() else 'false' }},
     {{ 'NULL' if m['max_dollars'] is none else m['max_dollars'] }}::DECIMAL(18, 2),
     {{ 'true' if m['true_up'] else 'false' }},
     {{ m['requires']['min_service_years'] | int }},
     {{ 'true' if m['requires']['active_at_year_end'] else 'false' }},
     {{ c['rate'] }}::DECIMAL(9, 4),
     {{ c['requires']['min_service_years'] | int }},
     {{ 'true' if c['requires']['active_at_year_end'] else 'false' }},
     {{ state_sql_string(d['vesting']['match'] | join(', ') if d['vesting']['match'] is not string else d['vesting']['match']) }},
     {{ state_sql_string(d['vesting']['core'] | join(', ') if d['vesting']['core'] is not string else d['vesting']['core']) }},
     {{ state_sql_string(d['forfeiture_policy']) }},
     {{ 'true' if d['nondiscrimination']['top_paid_group'] else 'false' }},
     {{ state_sql_string(d['nondiscrimination']['method']) }}){{ ',' if not loop.last }}
{%- endfor %}
) as t(design_key, match_formula, is_safe_harbor, match_max_dollars, match_true_up,
       match_min_service_years, match_active_at_year_end,
       core_rate, core_min_service_years, core_active_at_year_end,
       vesting_match, vesting_core, forfeiture_policy, hce_top_paid_group, ndt_method)
