{#- Age bands (docs/model.md 2.3), typed: v is in the band when min <= v < max. -#}
select band_label::VARCHAR as band_label, min_value::INTEGER as min_value, max_value::INTEGER as max_value
from {{ ref('age_bands') }}
