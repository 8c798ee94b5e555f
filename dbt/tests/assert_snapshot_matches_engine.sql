-- When the engine wrote its own snapshot (var snapshot_path), the state
-- rebuilt here from census + events equals it, row for row and column for
-- column (docs/model.md 5.2). Each differing row is returned with its side.
-- depends_on: {{ ref('fct_workforce_snapshot') }}, {{ ref('stg_wfsim__engine_snapshot') }}
{% set cols = ['simulation_year', 'employee_id', 'employment_status', 'birth_date',
                'hire_date', 'termination_date', 'level_id', 'salary',
                'eligibility_date', 'is_enrolled', 'deferral_rate',
                'enrollment_source', 'ever_opted_out'] %}
{%- if state_snapshot_path() != '' %}
-- One aggregate over both sides (+1 a dbt row, -1 an engine row): a row
-- whose count does not net to 0 is on one side more often than on the
-- other. (Two EXCEPT ALLs scanned each side twice: 0.53 against 0.12 s at
-- 60,000 x 5.)
select
    case when sum(side_count) > 0 then 'only_in_dbt' else 'only_in_engine' end as side,
    {{ cols | join(', ') }}
from (
    select 1 as side_count, {{ cols | join(', ') }} from {{ ref('fct_workforce_snapshot') }}
    union all
    select -1, {{ cols | join(', ') }} from {{ ref('stg_wfsim__engine_snapshot') }}
) as both_sides
group by {{ cols | join(', ') }}
having sum(side_count) <> 0
{%- else %}
select 'no engine snapshot' as side where false
{%- endif %}
