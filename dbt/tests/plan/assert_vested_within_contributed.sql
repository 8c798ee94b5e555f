-- Vested fractions lie in [0, 1] and a leaver never forfeits more than
-- the employer put in (nor anything negative), source by source.
select scenario_id, random_seed, employee_id, simulation_year
from {{ ref('fct_workforce_snapshot') }}
where match_vested_pct < 0 or match_vested_pct > 1
   or core_vested_pct < 0 or core_vested_pct > 1
   or forfeited_match < 0 or forfeited_match > cumulative_employer_match
   or forfeited_core < 0 or forfeited_core > cumulative_employer_core
