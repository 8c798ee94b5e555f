{#-
  The match tiers of each plan design, in basis points of pay: a
  deferral between from_bp and to_bp is matched at rate_bp (10000 =
  100 %). tier_set 'base' is the formula's; 'service' the tiers that
  replace them from match_service_years of service (tiers and stretch
  formulas only). No rows: no match.
-#}
{%- set rows = [] -%}
{%- for key, d in plan_designs() -%}
  {%- for f, t, r in plan_formula_tiers(d['match_formula'], d['match_tiers']) -%}
    {%- do rows.append((key, 'base', loop.index, f, t, r)) -%}
  {%- endfor -%}
  {%- if d['match_formula'] in ['tiers', 'stretch'] and (d['match_service_years'] | int) > 0 -%}
    {%- for f, t, r in plan_formula_tiers('tiers', d['match_service_tiers']) -%}
      {%- do rows.append((key, 'service', loop.index, f, t, r)) -%}
    {%- endfor -%}
  {%- endif -%}
{%- endfor %}
{%- if rows | length > 0 %}
select
    design_key,
    tier_set,
    tier::INTEGER                               as tier,
    round(deferral_from * 10000)::BIGINT        as from_bp,
    round(deferral_to * 10000)::BIGINT          as to_bp,
    round(match_rate * 10000)::BIGINT           as rate_bp
from (values
{%- for key, set_, n, f, t, r in rows %}
    ({{ state_sql_string(key) }}, '{{ set_ }}', {{ n }}, {{ f }}::DECIMAL(9, 4), {{ t }}::DECIMAL(9, 4), {{ r }}::DECIMAL(9, 4)){{ ',' if not loop.last }}
{%- endfor %}
) as v(design_key, tier_set, tier, deferral_from, deferral_to, match_rate)
{%- else %}
select NULL::VARCHAR as design_key, NULL::VARCHAR as tier_set, NULL::INTEGER as tier,
       NULL::BIGINT as from_bp, NULL::BIGINT as to_bp, NULL::BIGINT as rate_bp
where false
{%- endif %}
