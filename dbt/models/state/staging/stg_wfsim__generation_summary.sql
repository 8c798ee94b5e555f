{#-
  The docs/model.md 4.1 figures per year from the engine's
  generation_summary.json (5.3), when there is one: var summary_path, or
  OUT/generation_summary.json when that file exists, or every replicate's
  of an ensemble (a glob; each file names its scenario_id,
  plan_design_id and random_seed at the top). Empty otherwise; then
  int_workforce_needs recomputes the figures from the state and the
  configuration. Fields the file lacks read as NULL.
-#}
{%- set summary_path = state_summary_path() -%}
{%- if summary_path != '' %}
with doc as (
    select content::JSON as j
    from read_text({{ state_sql_string(summary_path) }})
),

per_year as (
    select
        j ->> 'scenario_id'                     as scenario_id,
        j ->> 'plan_design_id'                  as plan_design_id,
        (j ->> 'random_seed')::BIGINT           as random_seed,
        unnest(json_extract(j, '$.per_year[*]')) as y
    from doc
)

select
    scenario_id,
    plan_design_id,
    random_seed,
    (y ->> 'year')::INTEGER                                as simulation_year,
    (y ->> 'N')::BIGINT                                    as n,
    (y ->> 'P')::BIGINT                                    as p,
    (y ->> 'X')::BIGINT                                    as x,
    (y ->> 'target')::BIGINT                               as target,
    (y ->> 'R')::BIGINT                                    as r,
    (y ->> 'Q')::BIGINT                                    as q,
    (y ->> 'Te')::BIGINT                                   as te,
    (y ->> 'net')::BIGINT                                  as net,
    (y ->> 'H')::BIGINT                                    as h,
    (y ->> 'Tnh')::BIGINT                                  as tnh,
    (y ->> 'nh_termination_shortfall')::BIGINT             as nh_termination_shortfall,
    (y ->> 'experienced_termination_shortfall')::BIGINT    as experienced_termination_shortfall,
    (y ->> 'year_end_headcount')::BIGINT                   as year_end_headcount
from per_year
{%- else %}
select
    NULL::VARCHAR as scenario_id, NULL::VARCHAR as plan_design_id,
    NULL::BIGINT as random_seed,
    NULL::INTEGER as simulation_year, NULL::BIGINT as n, NULL::BIGINT as p,
    NULL::BIGINT as x, NULL::BIGINT as target, NULL::BIGINT as r,
    NULL::BIGINT as q, NULL::BIGINT as te, NULL::BIGINT as net,
    NULL::BIGINT as h, NULL::BIGINT as tnh,
    NULL::BIGINT as nh_termination_shortfall,
    NULL::BIGINT as experienced_termination_shortfall,
    NULL::BIGINT as year_end_headcount
where false
{%- endif %}
