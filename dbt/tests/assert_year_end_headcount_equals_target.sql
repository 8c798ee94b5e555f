-- docs/model.md 4.1: with every quota met, the year ends at `target` exactly.
-- target is the engine's (generation_summary.json) when present, else
-- recomputed from N and the growth rate (int_workforce_needs).
select simulation_year, end_headcount, target, figures_source
from {{ ref('int_workforce_needs') }}
where not has_shortfall
  and end_headcount <> target
