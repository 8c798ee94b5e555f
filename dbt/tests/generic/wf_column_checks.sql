{#-
  Several column checks of one model in one scan (issue 19: each generic
  test is a dbt node and a pass over the table, and stg_wfsim__events is a
  view over every replicate's Parquet files). Asserts exactly what the
  separate tests asserted:

  - not_null: [col, ...]: no row has a NULL in col (dbt's not_null);
  - accepted_values: {col: values}: every non-NULL col is one of values
    (dbt's accepted_values: a NULL is not a failure); values is a list, or
    the name of one of wfsim_schema()'s lists (macros/wfsim_schema.sql).

  Fails with one row per broken check: check_name ("not_null(col)" or
  "accepted_values(col)") and failures, the number of rows breaking it.
-#}
{% test wf_column_checks(model, not_null=[], accepted_values={}) %}
{%- set checks = [] -%}
{%- for c in not_null -%}
  {%- do checks.append(("not_null(" ~ c ~ ")", c ~ " is null")) -%}
{%- endfor -%}
{%- for c, values in accepted_values.items() -%}
  {%- set vs = wfsim_schema()[values] if values is string else values -%}
  {%- set quoted = [] -%}
  {%- for v in vs -%}{%- do quoted.append("'" ~ (v | string | replace("'", "''")) ~ "'") -%}{%- endfor -%}
  {%- do checks.append(("accepted_values(" ~ c ~ ")", c ~ " not in (" ~ (quoted | join(", ")) ~ ")")) -%}
{%- endfor %}
with counts as (
    select
    {%- for name, cond in checks %}
        count_if({{ cond }}) as "{{ name }}"{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
select check_name, failures
from (unpivot counts on columns(*) into name check_name value failures)
where failures > 0
{% endtest %}
