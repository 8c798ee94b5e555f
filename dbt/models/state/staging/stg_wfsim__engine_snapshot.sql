{#-
  The engine's own workforce snapshot (docs/model.md 5.2), typed, when the run
  wrote one (var snapshot_path names a folder holding snapshot
  partitions); otherwise an empty relation of the same shape, so the
  comparison test has nothing to compare. The columns and types are
  wf_schema.h's (dbt/macros/wfsim_lists.sql).
-#}
-- depends_on: {{ source('wfsim', 'workforce_snapshot') }}
{% set snapshot_path = state_snapshot_path() -%}
{%- if snapshot_path != '' %}
select
    simulation_year::INTEGER as simulation_year,
    {{ wfsim_typed_columns('snapshot') }}
from {{ state_engine_parquet('workforce_snapshot') }}
{%- else %}
select
    NULL::INTEGER as simulation_year,
    {{ wfsim_typed_columns('snapshot', nulls=true) }}
where false
{%- endif %}
