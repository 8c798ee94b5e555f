{#- The levels parameter table with the types the state models use
    (SQL mode's seed properties may load columns as text). -#}
select
    level_id::INTEGER                       as level_id,
    name::VARCHAR                           as level_name,
    min_compensation::DECIMAL(18, 2)        as min_compensation,
    max_compensation::DECIMAL(18, 2)        as max_compensation
from {{ ref('levels') }}
