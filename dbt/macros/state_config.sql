{#-
  Configuration and file helpers of the state and metrics models.

  The state models are event-sourced: nearly everything they show comes
  from the census and the events. A few facts are not in the events and
  come from the effective configuration (docs/config.md), passed by the
  runner as the dbt var `wfsim_config` (a dict, or its JSON text):
  eligibility.minimum_age and waiting_period_days (the eligibility date of
  employees who get no eligibility event), the simulation years, and, when
  no generation_summary.json is there, the workforce rates that give each
  year's target. The var is required: the engine's loader is the one
  source of the configuration and its defaults (`wfsim config` prints the
  canonical JSON of the defaults), so nothing here repeats them; a build
  without it stops with a message naming the key it needed. (SQL mode
  reads the same var through sqlmode_cfg.)
-#}

{#- The var wfsim_config as a dict, else the first of wfsim_scenarios (the
    baseline: the years are every scenario's), or none when neither was
    given. -#}
{% macro state_config() %}
  {% set cfg = wfsim_var('wfsim_config') %}
  {% if cfg is string and cfg | trim != '' %}
    {% set cfg = fromjson(cfg) %}
  {% elif cfg is string %}
    {% set cfg = none %}
  {% endif %}
  {% if cfg is none and state_scenarios() | length > 0 %}
    {% set cfg = state_scenarios()[0] %}
  {% endif %}
  {{ return(cfg) }}
{% endmacro %}

{#- One configuration value, from wfsim_config, else the baseline of
    wfsim_scenarios (one of them required when the model runs; none while
    dbt only parses). -#}
{% macro state_cfg(section, key) %}
  {% set cfg = state_config() %}
  {% if cfg is mapping and section in cfg and cfg[section] is mapping and key in cfg[section] %}
    {{ return(cfg[section][key]) }}
  {% endif %}
  {% if execute %}
    {{ exceptions.raise_compiler_error("the state models need the var wfsim_config (the canonical configuration JSON that `wfsim config` prints), or wfsim_scenarios, with " ~ section ~ "." ~ key) }}
  {% endif %}
  {{ return(none) }}
{% endmacro %}

{#- A SQL string literal. -#}
{% macro state_sql_string(text) %}
  {{- return("'" ~ (text | string | replace("'", "''")) ~ "'") -}}
{% endmacro %}

{#- A path var without a trailing slash ('' stays ''). -#}
{% macro state_path_var(name) %}
  {% set p = wfsim_var(name, '') %}
  {% if p is none %}{% set p = '' %}{% endif %}
  {% set p = p | string | trim %}
  {% if p | length > 1 and p.endswith('/') %}{% set p = p[:-1] %}{% endif %}
  {{ return(p) }}
{% endmacro %}

{#- True when a file matching the glob exists (false at parse time). -#}
{% macro state_glob_exists(pattern) %}
  {% if not execute or pattern == '' %}{{ return(false) }}{% endif %}
  {% set res = run_query("select count(*) from glob(" ~ state_sql_string(pattern) ~ ")") %}
  {{ return(res.columns[0].values()[0] > 0) }}
{% endmacro %}

{#- The generation summaries to read (a file or a glob): var summary_path,
    else events_path/generation_summary.json when present, else every
    replicate's of an ensemble's layout when present, else ''. -#}
{% macro state_summary_path() %}
  {% set p = state_path_var('summary_path') %}
  {% if p != '' %}{{ return(p) }}{% endif %}
  {% set guess = state_path_var('events_path') ~ '/generation_summary.json' %}
  {% if state_glob_exists(guess) %}{{ return(guess) }}{% endif %}
  {% set guess = state_path_var('events_path') ~ '/scenario_id=*/plan_design_id=*/random_seed=*/generation_summary.json' %}
  {% if state_glob_exists(guess) %}{{ return(guess) }}{% endif %}
  {{ return('') }}
{% endmacro %}

{#- Day number since 1970-01-01 of a DATE. -#}
{% macro state_day_number(d) -%}
  date_diff('day', DATE '1970-01-01', {{ d }})
{%- endmacro %}

{#- Post-hook of metrics_summary: writes it as CSV (header, comma) to the
    var summary_csv when that var is set (`wfsim run` prints the file);
    a no-op otherwise. NULL (e.g. the first year's growth) is written as
    '-', so a printer that splits on commas keeps its columns. -#}
{% macro state_export_summary_csv(relation) %}
  {% set csv = state_path_var('summary_csv') %}
  {% if csv == '' %}
    {{ return("select 1") }}
  {% endif %}
  {{ return("copy (select * exclude (scenario_id, plan_design_id, random_seed) from " ~ relation
            ~ " order by scenario_id, plan_design_id, random_seed, year) to "
            ~ state_sql_string(csv) ~ " (format csv, header true, delimiter ',', nullstr '-')") }}
{% endmacro %}

{#- The engine snapshot folder to compare with: var snapshot_path when it
    holds snapshot partitions, else '' (no snapshot written: the runner
    may name the folder whether or not the engine filled it). -#}
{% macro state_snapshot_path() %}
  {% set p = state_path_var('snapshot_path') %}
  {% if p != '' and state_glob_exists(p ~ '/simulation_year=*/*.parquet') %}
    {{ return(p) }}
  {% endif %}
  {{ return('') }}
{% endmacro %}

{#- The engine's Parquet output as a relation for the staging models:
    which = 'events' (var events_path, files events_glob, default
    simulation_year=*/*.parquet) or 'workforce_snapshot' (var
    snapshot_path). While models execute, the folder comes from wfsim_var,
    so the runner's $WFSIM_DBT_RUN_VARS names it and the parsed project
    (with the sources of _sources.yml, rendered at parse time) is the same
    in every run: dbt's saved parse then serves a run into a new folder
    without parsing anything (issue 19). At parse time, the source itself,
    so dbt records the dependency. -#}
{% macro state_engine_parquet(which) %}
  {% if not execute %}{{ return(source('wfsim', which)) }}{% endif %}
  {% if which == 'events' %}
    {% set files = state_path_var('events_path') ~ '/'
                   ~ wfsim_var('events_glob', 'simulation_year=*/*.parquet') %}
    {% set opts = ", hive_partitioning = true, hive_types = {'simulation_year': INTEGER}, hive_types_autocast = false" %}
  {% else %}
    {% set files = state_path_var('snapshot_path') ~ '/simulation_year=*/*.parquet' %}
    {% set opts = ", hive_partitioning = true, hive_types = {'simulation_year': INTEGER}" %}
  {% endif %}
  {{ return("read_parquet(" ~ state_sql_string(files) ~ opts ~ ")") }}
{% endmacro %}
