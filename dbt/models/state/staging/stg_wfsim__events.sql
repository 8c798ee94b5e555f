{#-
  The engine's events with the MODEL.md 5.1 types made explicit (a writer
  that stored a narrower integer or another decimal scale reads the same),
  plus simulation_year from the partition folder. Nothing is dropped or
  repaired here: the data tests look at exactly what the engine wrote.
-#}
select
    simulation_year::INTEGER                    as simulation_year,
    event_id::VARCHAR                           as event_id,
    scenario_id::VARCHAR                        as scenario_id,
    plan_design_id::VARCHAR                     as plan_design_id,
    random_seed::BIGINT                         as random_seed,
    employee_id::VARCHAR                        as employee_id,
    event_type::VARCHAR                         as event_type,
    event_category::VARCHAR                     as event_category,
    event_date::DATE                            as event_date,
    event_sequence::INTEGER                     as event_sequence,
    level_id::INTEGER                           as level_id,
    previous_level_id::INTEGER                  as previous_level_id,
    compensation_amount::DECIMAL(18, 2)         as compensation_amount,
    previous_compensation::DECIMAL(18, 2)       as previous_compensation,
    employee_deferral_rate::DECIMAL(9, 4)       as employee_deferral_rate,
    prev_employee_deferral_rate::DECIMAL(9, 4)  as prev_employee_deferral_rate,
    employee_age::INTEGER                       as employee_age,
    employee_tenure::INTEGER                    as employee_tenure,
    age_band::VARCHAR                           as age_band,
    tenure_band::VARCHAR                        as tenure_band,
    event_probability::DOUBLE                   as event_probability,
    created_at::TIMESTAMP                       as created_at
from {{ source('wfsim', 'events') }}
