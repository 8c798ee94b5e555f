{#- Input of the probe models: no rows. The dbt unit tests of
    sqlmode_unit_tests.yml give rows in its place (test vectors of
    shared/vectors), so the probes pin the macros of SQL mode. -#}
{{ config(materialized='view') }}
select CAST(NULL AS VARCHAR) as key,
       CAST(NULL AS VARCHAR) as text,
       CAST(NULL AS BIGINT) as n, CAST(NULL AS BIGINT) as p, CAST(NULL AS BIGINT) as r,
       CAST(NULL AS BIGINT) as g, CAST(NULL AS BIGINT) as te, CAST(NULL AS BIGINT) as tnh,
       CAST(NULL AS DATE) as d1, CAST(NULL AS DATE) as d2
where false
