{#- Exact decimal text to cents, bp and ppm (macro sqlmode_units), and
    whether the text is a decimal at all (sqlmode_is_decimal). -#}
{{ config(materialized='view') }}
select text,
       {{ sqlmode_is_decimal('text') }} as is_decimal,
       {{ sqlmode_units('text', 2) }}::BIGINT as cents,
       {{ sqlmode_units('text', 4) }}::BIGINT as bp,
       {{ sqlmode_units('text', 6) }}::BIGINT as ppm
from {{ ref('sqlmode_probe_input') }}
