{#- Hazard multipliers (docs/model.md 2.3) as DOUBLEs, with the band bounds of
    their dimension, so a lookup is one join on (hazard, dimension, value). -#}
{{ config(materialized='view') }}
select h.hazard, h.dimension, h.band_label,
       b.min_value, b.max_value,
       CAST(trim(h.multiplier) AS DOUBLE) as multiplier
from {{ ref('hazard_multipliers') }} h
join (select 'age' as dimension, band_label, min_value, max_value from {{ ref('age_bands') }}
      union all
      select 'tenure', band_label, min_value, max_value from {{ ref('tenure_bands') }}) b
  on b.dimension = h.dimension and b.band_label = h.band_label
