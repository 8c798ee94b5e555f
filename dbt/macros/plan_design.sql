{#-
  The plan design (docs/config.md, section plan_design) of each scenario,
  for the plan models (models/plan, models/state). The engine's loader
  checks the section and the runners pass it as a dbt var:

  - wfsim_plan_designs: a list, one design per entry of wfsim_scenarios
    (same order; `wfsim ensemble`);
  - wfsim_plan_design: one design for every replicate (`wfsim run`);
  - neither: plan_design_defaults(), the loader's defaults (a test checks
    they equal `wfsim config --plan-design`), so a build from older
    callers keeps today's plan.

  Each design gets a key: the scenario_id it belongs to, or '*' for the
  design of every other scenario.
-#}

{#- The loader's defaults of the plan_design section (src/model/plan_design.c),
    in its JSON shape (`wfsim config --plan-design`). -#}
{% macro plan_design_defaults() %}
  {% set requires = {'min_service_years': 0, 'active_at_year_end': false} %}
  {{ return({'match': {'formula': 'tiers',
                       'tiers': [{'up_to': 0.03, 'rate': 1.0}, {'up_to': 0.05, 'rate': 0.5}],
                       'by_service': [], 'max_dollars': none, 'true_up': false,
                       'requires': requires.copy()},
             'core': {'rate': 0.0, 'by_service': [], 'by_age': [], 'requires': requires.copy()},
             'vesting': {'match': 'immediate', 'core': 'immediate'},
             'forfeiture_policy': 'offset_next_year',
             'nondiscrimination': {'method': 'prior_year', 'top_paid_group': false}}) }}
{% endmacro %}

{#- A var that is a dict/list or its JSON text; none when absent or ''. -#}
{% macro plan_json_var(name) %}
  {% set v = var(name, none) %}
  {% if v is string and v | trim != '' %}{% set v = fromjson(v) %}
  {% elif v is string %}{% set v = none %}{% endif %}
  {{ return(v) }}
{% endmacro %}

{#- A design with every key: the given one over the defaults, mapping by
    mapping (the loader always gives every key; a unit test may give a few). -#}
{% macro plan_design_complete(d) %}
  {% set out = plan_design_defaults() %}
  {% if d is mapping %}
    {% for k, v in d.items() %}
      {% if v is mapping and out[k] is mapping %}
        {% for k2, v2 in v.items() %}
          {% if v2 is mapping and out[k][k2] is mapping %}{% do out[k][k2].update(v2) %}
          {% else %}{% do out[k].update({k2: v2}) %}{% endif %}
        {% endfor %}
      {% else %}{% do out.update({k: v}) %}{% endif %}
    {% endfor %}
  {% endif %}
  {{ return(out) }}
{% endmacro %}

{#- [(design_key, design), ...]: one per scenario of wfsim_scenarios when
    wfsim_plan_designs is given, then '*'. -#}
{% macro plan_designs() %}
  {% set out = [] %}
  {% set single = plan_json_var('wfsim_plan_design') %}
  {% set many = plan_json_var('wfsim_plan_designs') %}
  {% set scenarios = state_scenarios() %}
  {% if many is not none and many is not mapping %}
    {% for d in many %}
      {% if loop.index0 < scenarios | length %}
        {% do out.append((scenarios[loop.index0]['simulation']['scenario_id'], plan_design_complete(d))) %}
      {% endif %}
    {% endfor %}
    {% do out.append(('*', plan_design_complete(many[0] if many | length > 0 else single))) %}
  {% else %}
    {% do out.append(('*', plan_design_complete(single))) %}
  {% endif %}
  {{ return(out) }}
{% endmacro %}

{#- The match tiers of a formula, as [(from, to, rate), ...] (fractions of
    pay): tiers and stretch from the given list of {up_to, rate}; the safe
    harbors are fixed by law (IRC 401(k)(12), 401(k)(13)). -#}
{% macro plan_formula_tiers(formula, tiers) %}
  {% if formula == 'none' %}{{ return([]) }}{% endif %}
  {% set pairs = {'safe_harbor_basic': [(0.03, 1.0), (0.05, 0.5)],
                  'safe_harbor_enhanced': [(0.04, 1.0)],
                  'qaca_safe_harbor': [(0.01, 1.0), (0.06, 0.5)]}.get(formula) %}
  {% if pairs is none %}
    {% set pairs = [] %}
    {% for t in tiers or [] %}{% do pairs.append((t['up_to'], t['rate'])) %}{% endfor %}
  {% endif %}
  {% set out = [] %}
  {% set prev = namespace(v=0) %}
  {% for up_to, rate in pairs %}
    {% do out.append((prev.v, up_to, rate)) %}
    {% set prev.v = up_to %}
  {% endfor %}
  {{ return(out) }}
{% endmacro %}

{#- Vested fraction by completed years 0..20 of a schedule (immediate,
    cliff_N, graded_N: nothing before year 2, then an equal step a year to
    100 % at year N, so graded_6 is 20 % a year from year 2; or a list of
    whole percentages by completed years, the last one holding after). -#}
{% macro plan_vesting_table(schedule) %}
  {% set s = schedule | join(' ') if schedule is iterable and schedule is not string
             else schedule | string | trim %}
  {% set out = [] %}
  {% for y in range(21) %}
    {% if s == 'immediate' %}
      {% do out.append(1.0) %}
    {% elif s.startswith('cliff_') %}
      {% do out.append(1.0 if y >= (s[6:] | int) else 0.0) %}
    {% elif s.startswith('graded_') %}
      {% set n = s[7:] | int %}
      {% do out.append([1.0, [0.0, (y - 1) / (n - 1)] | max] | min) %}
    {% else %}
      {% set pcts = s.replace(',', ' ').split() %}
      {% do out.append((pcts[[y, pcts | length - 1] | min] | int) / 100.0) %}
    {% endif %}
  {% endfor %}
  {{ return(out) }}
{% endmacro %}

{#- Match formulas exempt from the ADP and ACP tests. -#}
{% macro plan_safe_harbor_formulas() %}
  {{ return(['safe_harbor_basic', 'safe_harbor_enhanced', 'qaca_safe_harbor']) }}
{% endmacro %}
