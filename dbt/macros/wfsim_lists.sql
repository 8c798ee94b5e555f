{#-
  The lists of src/common/wf_schema.h (generated into wfsim_schema.sql) as
  the pieces dbt models need: the type rank behind event_sequence, column
  lists and typed column lists of the event and snapshot tables. A model
  that names the columns through these follows the schema when a column
  or an event type is added; only the model that computes a column's value
  (sqlmode_y_events, sqlmode_snapshot) lists it by hand.

  `table` is 'event' or 'snapshot'; every macro returns SQL text.
-#}

{% macro wfsim_columns(table) -%}
  {%- set key = table ~ '_columns' -%}
  {%- set schema = wfsim_schema() -%}
  {%- if key not in schema -%}
    {{ exceptions.raise_compiler_error("wfsim_columns: no table '" ~ table ~ "' in wf_schema.h (event or snapshot)") }}
  {%- endif -%}
  {{ return(schema[key]) }}
{%- endmacro %}

{#- "a, b, c": the column names in file order, each after `prefix`;
    compared_only leaves out created_at (a run's time stamp). -#}
{% macro wfsim_column_list(table, prefix='', compared_only=false) -%}
  {%- set out = [] -%}
  {%- for c in wfsim_columns(table) if c.compared or not compared_only -%}
    {%- do out.append(prefix ~ c.name) -%}
  {%- endfor -%}
  {{ out | join(', ') }}
{%- endmacro %}

{#- "a::T as a, ...": every column cast to its DuckDB type; with
    nulls=true "NULL::T as a, ..." (an empty relation of the same shape). -#}
{% macro wfsim_typed_columns(table, nulls=false) -%}
  {%- set out = [] -%}
  {%- for c in wfsim_columns(table) -%}
    {%- do out.append(('NULL' if nulls else c.name) ~ '::' ~ c.sql_type ~ ' as ' ~ c.name) -%}
  {%- endfor -%}
  {{ out | join(',\n    ') }}
{%- endmacro %}

{#- The rank of event type `name` (an integer): its position in
    event_sequence order, from 1. An unknown name is a compile error. -#}
{% macro wfsim_type_rank_of(name) -%}
  {%- set types = wfsim_schema()['event_types'] -%}
  {%- if name not in types -%}
    {{ exceptions.raise_compiler_error("wfsim_type_rank_of: '" ~ name ~ "' is not an event type of wf_schema.h") }}
  {%- endif -%}
  {{ return(types.index(name) + 1) }}
{%- endmacro %}

{#- The rank of the event type held by SQL expression t (docs/model.md 5.1:
    events of one employee on one day are numbered in this order). -#}
{% macro wfsim_type_rank(t) -%}
(CASE {{ t }}
  {%- for name in wfsim_schema()['event_types'] %} WHEN '{{ name }}' THEN {{ loop.index }}{% endfor %} END)
{%- endmacro %}

{#- Compile error unless `name` is a random stream of wf_schema.h. -#}
{% macro wfsim_check_stream(name) -%}
  {%- if name not in wfsim_schema()['streams'] -%}
    {{ exceptions.raise_compiler_error("'" ~ name ~ "' is not a random stream of wf_schema.h") }}
  {%- endif -%}
{%- endmacro %}
