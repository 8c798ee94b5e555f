{#-
  dbt run-operation sqlmode_export --args '{events_dir: DIR, snapshot_dir: DIR}'

  Writes SQL mode's results as the engine writes its own (docs/model.md 5.1 and
  5.2): Hive-partitioned Parquet by simulation_year (the partition column
  is not stored in the files), ZSTD, rows sorted by (employee_id,
  event_sequence) for events and by employee_id for the snapshot, so the
  downstream dbt models read either mode's output. created_at is the run
  time, or SOURCE_DATE_EPOCH when that is set, as a TIMESTAMP without time
  zone (the one column of wf_schema.h that is not compared). The columns
  are wf_schema.h's, in its order. Each directory is replaced (COPY ... OVERWRITE): point it at a
  folder of its own; its parent must exist (DuckDB creates one level).
  snapshot_dir may be empty text to skip the snapshot.
-#}
{% macro sqlmode_export(events_dir, snapshot_dir='') %}
  {%- set events = adapter.get_relation(database=target.database, schema=target.schema, identifier='sqlmode_events') -%}
  {%- set snapshot = adapter.get_relation(database=target.database, schema=target.schema, identifier='sqlmode_snapshot') -%}
  {%- if events is none or snapshot is none -%}
    {{ exceptions.raise_compiler_error("sqlmode_export: no sqlmode_events / sqlmode_snapshot in " ~ target.schema ~ "; run SQL mode first") }}
  {%- endif -%}
  {%- if not events_dir -%}
    {{ exceptions.raise_compiler_error("sqlmode_export: events_dir is required") }}
  {%- endif -%}
  {%- set epoch = env_var('SOURCE_DATE_EPOCH', '') | trim -%}
  {%- if epoch -%}
    {%- if not (epoch is string and epoch.isdigit()) -%}
      {{ exceptions.raise_compiler_error("sqlmode_export: SOURCE_DATE_EPOCH must be whole seconds, got " ~ epoch) }}
    {%- endif -%}
    {%- set created = "make_timestamp(" ~ epoch ~ "::BIGINT * 1000000)" -%}
  {%- else -%}
    {%- set created = "make_timestamp(epoch_us(get_current_timestamp()))" -%}
  {%- endif -%}
  {%- set ev_sql -%}
    COPY (
      SELECT
        {%- for c in wfsim_columns('event') %}
             {{ c.name if c.compared else created ~ ' AS ' ~ c.name }},
        {%- endfor %}
             simulation_year
      FROM {{ events }}
      ORDER BY simulation_year, employee_id, event_sequence
    ) TO '{{ events_dir | replace("'", "''") }}'
    (FORMAT parquet, PARTITION_BY (simulation_year), COMPRESSION zstd, OVERWRITE)
  {%- endset -%}
  {%- do run_query(ev_sql) -%}
  {{ log("sqlmode_export: events written to " ~ events_dir, info=true) }}
  {%- if snapshot_dir -%}
    {%- set snap_sql -%}
      COPY (
        SELECT {{ wfsim_column_list('snapshot') }}, simulation_year
        FROM {{ snapshot }}
        ORDER BY simulation_year, employee_id
      ) TO '{{ snapshot_dir | replace("'", "''") }}'
      (FORMAT parquet, PARTITION_BY (simulation_year), COMPRESSION zstd, OVERWRITE)
    {%- endset -%}
    {%- do run_query(snap_sql) -%}
    {{ log("sqlmode_export: snapshot written to " ~ snapshot_dir, info=true) }}
  {%- endif -%}
{% endmacro %}
