{#-
  Run values (paths, the configuration, the year of SQL mode) that change
  from one run to the next.

  dbt re-parses the whole project whenever its --vars change, and `wfsim run`
  used to pass every run's own paths and configuration as --vars, so every
  run parsed from scratch. The runner now passes them in the environment
  variable WFSIM_DBT_RUN_VARS (a JSON object with the same keys as the vars
  of docs/dbt.md), read only while models execute: parsing never sees them,
  so the parsed project does not depend on them and dbt's partial parse can
  be reused between runs. While models execute, a key of
  WFSIM_DBT_RUN_VARS wins over the var of the same name (the runner passes no
  such --vars; dbt_project.yml's defaults, such as events_path's, must give
  way); without the environment variable, `dbt build --vars '{...}'` by hand
  works as before. An empty var ('', the default of the path vars) counts
  as not given. Inside a unit test the environment is not read: its vars
  (dbt's `overrides`) are all it sees. The staging models read the events and snapshot folders
  through it too (macro state_engine_parquet), not through the sources,
  which dbt renders while it parses.
-#}
{% macro wfsim_var(name, default=none) %}
  {% set v = none %}
  {#- A unit test states its inputs in full (its overrides are vars): the
      run's values must not leak into it. -#}
  {% set in_unit_test = model is defined and model is not none
                        and model.resource_type == 'unit_test' %}
  {% if execute and not in_unit_test %}
    {% set text = env_var('WFSIM_DBT_RUN_VARS', '') | trim %}
    {% if text != '' %}
      {% set run_vars = fromjson(text) %}
      {% if run_vars is mapping and name in run_vars %}
        {% set v = run_vars[name] %}
      {% endif %}
    {% endif %}
  {% endif %}
  {% if v is none or v == '' %}
    {% set v = var(name, none) %}
  {% endif %}
  {{ return(default if v is none or v == '' else v) }}
{% endmacro %}
