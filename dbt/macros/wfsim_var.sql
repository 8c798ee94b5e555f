{#-
  Run values (paths, the configuration, the year of SQL mode) that change
  from one run to the next.

  dbt re-parses the whole project whenever its --vars change, and `wfsim run`
  used to pass every run's own paths and configuration as --vars, so every
  run parsed from scratch. The runner now passes them in the environment
  variable WFSIM_DBT_RUN_VARS (a JSON object with the same keys as the vars
  of docs/dbt.md), read only while models execute: parsing never sees them,
  so the parsed project does not depend on them and dbt's partial parse can
  be reused between runs. A var given on the command line (or a non-empty
  default in dbt_project.yml) wins, so `dbt build --vars '{...}'` by hand
  works as before; an empty one ('', the project's default of the path
  vars, meaning "not given") gives way to the environment's.
-#}
{% macro wfsim_var(name, default=none) %}
  {% set v = var(name, none) %}
  {% if (v is none or v == '') and execute %}
    {% set text = env_var('WFSIM_DBT_RUN_VARS', '') | trim %}
    {% if text != '' %}
      {% set run_vars = fromjson(text) %}
      {% if run_vars is mapping and name in run_vars %}
        {% set v = run_vars[name] %}
      {% endif %}
    {% endif %}
  {% endif %}
  {{ return(default if v is none or v == '' else v) }}
{% endmacro %}
