{#-
  Reading the census (docs/model.md 2.1) for the state models. `wfsim run`
  passes the engine's normalised census (OUT/census.parquet: the accepted
  rows, typed, docs/inputs.md), read as it is. A census CSV is read too,
  for dbt used on its own; the engine has already validated it (it refuses
  a bad census before writing anything), so this reader only maps the columns: names match
  case-insensitively, each with its PlanWise-style alias, and the optional
  columns may be absent. The header is looked at when the model compiles.
-#}

{#- The census_path var (required by the state models). -#}
{% macro state_census_path() %}
  {% set p = state_path_var('census_path') %}
  {% if execute and p == '' %}
    {{ exceptions.raise_compiler_error("var census_path is required: the census the events were simulated from") }}
  {% endif %}
  {{ return(p) }}
{% endmacro %}

{#- Is path the engine's normalised census (OUT/census.parquet)? -#}
{% macro state_census_is_normalised(path) -%}
  {{ return((path | string).endswith('.parquet')) }}
{%- endmacro %}

{#- The read_csv call of the census, every column as text. -#}
{% macro state_census_read(path) -%}
  read_csv({{ state_sql_string(path) }}, header = true, all_varchar = true,
           delim = ',', quote = '"', escape = '"', skip = 0)
{%- endmacro %}

{#- Map canonical column -> the file's column name, or none when absent.
    A file with both a name and its alias is an error, as in docs/model.md 2.1. -#}
{% macro state_census_columns(path) %}
  {% set wanted = {
      "employee_id": ["employee_id"],
      "birth_date": ["birth_date", "employee_birth_date"],
      "hire_date": ["hire_date", "employee_hire_date"],
      "salary": ["salary", "employee_gross_compensation"],
      "termination_date": ["termination_date", "employee_termination_date"],
      "active": ["active"],
      "level_id": ["level_id"],
      "deferral_rate": ["deferral_rate", "employee_deferral_rate"],
      "auto_escalation_opt_out": ["auto_escalation_opt_out"]
  } %}
  {% set found = {} %}
  {% if not execute %}{{ return(found) }}{% endif %}
  {% set res = run_query("select column_name from (describe select * from " ~ state_census_read(path) ~ ")") %}
  {% set names = res.columns[0].values() %}
  {% for canon, aliases in wanted.items() %}
    {% set hits = [] %}
    {% for n in names %}
      {% if (n | lower | trim) in aliases %}{% do hits.append(n) %}{% endif %}
    {% endfor %}
    {% if hits | length > 1 %}
      {{ exceptions.raise_compiler_error(path ~ ": line 1: the census names column '" ~ canon ~ "' more than once (" ~ (hits | join(', ')) ~ ")") }}
    {% endif %}
    {% do found.update({canon: (hits[0] if hits else none)}) %}
  {% endfor %}
  {% for canon in ["employee_id", "birth_date", "hire_date", "salary"] %}
    {% if found[canon] is none %}
      {{ exceptions.raise_compiler_error(path ~ ": line 1: the census has no column '" ~ canon ~ "'") }}
    {% endif %}
  {% endfor %}
  {{ return(found) }}
{% endmacro %}

{#- A census cell, trimmed, NULL when empty or when the column is absent. -#}
{% macro state_census_cell(cols, canon) -%}
  {%- if cols.get(canon) -%}
    nullif(trim("{{ cols[canon] | replace('"', '""') }}", ' ' || chr(9)), '')
  {%- else -%}
    NULL::VARCHAR
  {%- endif -%}
{%- endmacro %}
