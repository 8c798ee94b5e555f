{#-
  The engine's events with the docs/model.md 5.1 types made explicit (a writer
  that stored a narrower integer or another decimal scale reads the same),
  plus simulation_year from the partition folder. The columns and types
  are wf_schema.h's (dbt/macros/wfsim_lists.sql). Nothing is dropped or
  repaired here: the data tests look at exactly what the engine wrote.
  The folder is read at execution (macro state_engine_parquet).
-#}
-- depends_on: {{ source('wfsim', 'events') }}
select
    simulation_year::INTEGER as simulation_year,
    {{ wfsim_typed_columns('event') }}
from {{ state_engine_parquet('events') }}
