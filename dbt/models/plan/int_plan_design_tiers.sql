{#-
  The match tiers of each plan design, in basis points of pay: a
  deferral between from_bp and to_bp is matched at rate_bp (10000 =
  100 %). tier_set 'base' (min_service_years 0) is the formula's;
  'service' rows are match.by_service's bands, each from its
  min_service_years of completed service (tiers and stretch formulas
  only): an employee gets the band with the largest min_service_years
  reached, else the base. No rows: no match.
-#}
{%- set rows = [] -%}
{%- for key, d in plan_designs() -%}
  {%- set m = d['match'] -%}
  {%- for f, t, r in plan_formula_tiers(m['formula'], m['tiers']) -%}
    {%- do rows.append((key, 'base', 0, loop.index, f, t, r)) -%}
  {%- endfor -%}
  {%- if m['formula'] in ['tiers', 'stretch'] -%}
    {%- for band in m['by_service'] or [] -%}
      {%- for f, t, r in plan_formula_tiers('tiers', band['tiers']) -%}
        {%- do rows.append((key, 'service', band['min_years'] | int, loop.index, f, t, r)) -%}
      {%- endfor -%}
    {%- endfor -%}
  {%- endif -%}
{%- endfor %}
{%- if rows | length > 0 %}
select
    design_key,
    tier_set,
    min_service_years::INTEGER                  as min_service_years,
    tier::INTEGER                               as tier,
    round(deferral_from * 10000)::BIGINT        as from_bp,
    round(deferral_to * 10000)::BIGINT          as to_bp,
    round(match_rate * 10000)::BIGINT           as rate_bp
from (values
{%- for key, set_, years, n, f, t, r in rows %}
    ({{ state_sql_string(key) }}, '{{ set_ }}', {{ years }}, {{ n }}, {{ f }}::DECIMAL(9, 4), {{ t }}::DECIMAL(9, 4), {{ r }}::DECIMAL(9, 4)){{ ',' if not loop.last }}
{%- endfor %}
) as v(design_key, tier_set, min_service_years, tier, deferral_from, deferral_to, match_rate)
{%- else %}
select NULL::VARCHAR as design_key, NULL::VARCHAR as tier_set, NULL::INTEGER as min_service_years,
       NULL::INTEGER as tier, NULL::BIGINT as from_bp, NULL::BIGINT as to_bp, NULL::BIGINT as rate_bp
where false
{%- endif %}
