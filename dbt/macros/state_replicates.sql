{#-
  Replicates: the state and metric models are keyed by (scenario_id,
  plan_design_id, random_seed, simulation_year), so one build covers a
  single run (an ensemble of one) or every replicate of `wfsim ensemble`.

  Scenario settings the state models need (eligibility, workforce rates,
  escalation cap) come per scenario from the var wfsim_scenarios (a list
  of canonical configurations, docs/config.md, the first being the
  baseline), else from wfsim_config for every scenario (state_cfg: one
  of the two vars is required).
-#}

{#- The replicate key columns, optionally qualified: "a.scenario_id, ...". -#}
{% macro state_rep(alias=none) -%}
  {%- set p = (alias ~ '.') if alias else '' -%}
  {{ p }}scenario_id, {{ p }}plan_design_id, {{ p }}random_seed
{%- endmacro %}

{#- The var wfsim_scenarios as a list of dicts ([] when not given). -#}
{% macro state_scenarios() %}
  {% set s = var('wfsim_scenarios', none) %}
  {% if s is string and s | trim != '' %}{% set s = fromjson(s) %}{% endif %}
  {% if s is none or s is string %}{{ return([]) }}{% endif %}
  {{ return(s) }}
{% endmacro %}

{#- One key of a scenario's canonical configuration, else state_cfg's. -#}
{% macro state_scenario_cfg(scenario, section, key) %}
  {% if scenario[section] is mapping and key in scenario[section] %}
    {{ return(scenario[section][key]) }}
  {% endif %}
  {{ return(state_cfg(section, key)) }}
{% endmacro %}

{#- The baseline scenario: var baseline_scenario_id, else the first of
    wfsim_scenarios, else none (then the smallest scenario_id). -#}
{% macro state_baseline_id() %}
  {% set b = var('baseline_scenario_id', none) %}
  {% if b %}{{ return(b) }}{% endif %}
  {% set s = state_scenarios() %}
  {% if s | length > 0 %}{{ return(s[0]['simulation']['scenario_id']) }}{% endif %}
  {{ return(none) }}
{% endmacro %}

{#- A scenario setting as SQL, for a query that must not wait for
    int_replicates (a test on the events alone): "case scenario_id when
    'a' then 1000 ... else <wfsim_config's or the default> end". -#}
{% macro state_scenario_value_sql(section, key, column='scenario_id') -%}
  {%- set scenarios = state_scenarios() -%}
  {%- if scenarios | length == 0 -%}
    {{ state_cfg(section, key) }}
  {%- else -%}
    case {{ column }}
    {%- for s in scenarios %} when {{ state_sql_string(s['simulation']['scenario_id']) }} then {{ state_scenario_cfg(s, section, key) }}{% endfor %}
    else {{ state_cfg(section, key) }} end
  {%- endif -%}
{%- endmacro %}
