-- The replicates in the events are those the run made: in a single run's
-- layout (var events_glob not set), one scenario_id, plan_design_id and
-- random_seed across every event (mixing runs in one folder would corrupt
-- the state); in an ensemble (var wfsim_scenarios), only the configured
-- scenarios, each with one plan_design_id.
{%- set scenarios = state_scenarios() %}
{%- if scenarios | length > 0 %}
select scenario_id, count(distinct plan_design_id) as plans
from {{ ref('stg_wfsim__events') }}
group by scenario_id
having scenario_id not in (
    {%- for s in scenarios %}{{ state_sql_string(s['simulation']['scenario_id']) }}{{ ', ' if not loop.last }}{% endfor -%}
) or count(distinct plan_design_id) > 1
{%- elif var('events_glob', '') == '' %}
select count(distinct scenario_id) as scenarios,
       count(distinct plan_design_id) as plans,
       count(distinct random_seed) as seeds
from {{ ref('stg_wfsim__events') }}
having count(distinct scenario_id) > 1
    or count(distinct plan_design_id) > 1
    or count(distinct random_seed) > 1
{%- else %}
select 1 as nothing_to_check where false
{%- endif %}
