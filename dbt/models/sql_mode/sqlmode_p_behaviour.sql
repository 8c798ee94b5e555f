{#- Enrollment behaviour (docs/model.md 2.3) with the bounds of its age and
    income segments: probabilities as DOUBLEs, the voluntary deferral in bp
    (exact), income bounds in cents. -#}
{{ config(materialized='view') }}
select e.age_segment, e.income_segment,
       a.min_age, a.max_age,
       i.min_salary * 100 as min_cents, i.max_salary * 100 as max_cents,
       CAST(trim(e.voluntary_probability) AS DOUBLE) as voluntary_probability,
       CAST(trim(e.conversion_probability) AS DOUBLE) as conversion_probability,
       {{ sqlmode_units('e.voluntary_deferral_rate', 4) }}::BIGINT as voluntary_deferral_bp,
       CAST(trim(e.opt_out_probability) AS DOUBLE) as opt_out_probability
from {{ ref('enrollment_behaviour') }} e
join {{ ref('age_segments') }} a on a.age_segment = e.age_segment
join {{ ref('income_segments') }} i on i.income_segment = e.income_segment
