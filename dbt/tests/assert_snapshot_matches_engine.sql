-- When the engine wrote its own snapshot (var snapshot_path), the state
-- rebuilt here from census + events equals it, row for row and column for
-- column (docs/model.md 5.2). Each differing row is returned with its side.
-- depends_on: {{ ref('fct_workforce_snapshot') }}, {{ ref('stg_wfsim__engine_snapshot') }}
{% set cols = ['simulation_year', 'employee_id', 'employment_status', 'birth_date',
                'hire_date', 'termination_date', 'level_id', 'salary',
                'eligibility_date', 'is_enrolled', 'deferral_rate',
                'enrollment_source', 'ever_opted_out'] %}
{%- if state_snapshot_path() != '' %}
(
    select 'only_in_dbt' as side, {{ cols | join(', ') }} from {{ ref('fct_workforce_snapshot') }}
    except all
    select 'only_in_dbt', {{ cols | join(', ') }} from {{ ref('stg_wfsim__engine_snapshot') }}
)
union all
(
    select 'only_in_engine' as side, {{ cols | join(', ') }} from {{ ref('stg_wfsim__engine_snapshot') }}
    except all
    select 'only_in_engine', {{ cols | join(', ') }} from {{ ref('fct_workforce_snapshot') }}
)
{%- else %}
select 'no engine snapshot' as side where false
{%- endif %}
