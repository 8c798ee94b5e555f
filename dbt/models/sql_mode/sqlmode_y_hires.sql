{#- The hires of the simulation year (docs/model.md 4.4) and the new-hire
    terminations among them (4.5): one row per hire NH_{y}_{s}. -#}
{{ config(materialized='table') }}
{%- set y = sqlmode_year() -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set jan1 = "make_date(" ~ y ~ ", 1, 1)" -%}
{%- set dec31 = "make_date(" ~ y ~ ", 12, 31)" -%}
with n as (
    select "H"::HUGEINT as h, "Tnh" as tnh from {{ ref('sqlmode_y_needs') }}
),
w as (
    select l.level_id, l.mix_ppm::HUGEINT as w, sum(l.mix_ppm) over ()::HUGEINT as total, n.h
    from {{ ref('sqlmode_p_levels') }} l cross join n
),
q as (
    select level_id, h, (h * w) // total as q, (h * w) % total as rem from w
),
alloc as (
    select level_id,
           q + case when row_number() over (order by rem desc, level_id)
                         <= h - sum(q) over () then 1 else 0 end as n_level
    from q
),
ranges as (
    select level_id,
           sum(n_level) over (order by level_id rows between unbounded preceding and current row) - n_level as lo,
           sum(n_level) over (order by level_id rows between unbounded preceding and current row) as hi
    from alloc
),
s as (
    select r.s::BIGINT as s,
           'NH_{{ y }}_' || printf('%06d', r.s) as employee_id
    from n, range(1, (select h::BIGINT from n) + 1) r(s)
),
h1 as (
    select s.s, s.employee_id, g.level_id::INTEGER as level_id,
           {{ jan1 }} + {{ sqlmode_pick(seed, 's.employee_id', y, 'hire_date', 'dayofyear(' ~ dec31 ~ ')') }}::INTEGER as hire_date,
           {{ sqlmode_pick(seed, 's.employee_id', y, 'hire_age', '(select max(total_ppm) from ' ~ ref('sqlmode_p_hire_ages') ~ ')') }} as age_draw,
           {{ sqlmode_pick(seed, 's.employee_id', y, 'hire_birth_day', '365') }}::INTEGER as birth_day,
           {{ sqlmode_u(seed, 's.employee_id', y, 'hire_salary') }} as u_salary
    from s join ranges g on s.s > g.lo and s.s <= g.hi
),
h2 as (
    select h1.*,
           (select min(a.age) from {{ ref('sqlmode_p_hire_ages') }} a where a.cum_ppm > h1.age_draw) as hire_age,
           greatest(0.0::DOUBLE, least(1.0::DOUBLE,
               l.new_hire_percentile + {{ sqlmode_lit('compensation', 'new_hire_salary_spread', 'double') }}
                                       * (2.0::DOUBLE * h1.u_salary - 1.0::DOUBLE))) as f,
           b.band_min, b.band_max
    from h1
    join {{ ref('sqlmode_p_levels') }} l on l.level_id = h1.level_id
    join {{ ref('sqlmode_p_bands') }} b on b.level_id = h1.level_id and b.simulation_year = {{ y }}
),
h3 as (
    select s, employee_id, level_id, hire_date, hire_age,
           {{ sqlmode_add_years('hire_date', '-hire_age') }} - birth_day as birth_date,
           round(band_min::DOUBLE + (band_max::DOUBLE - band_min::DOUBLE) * f)::BIGINT as salary_cents
    from h2
),
nht as (
    select employee_id,
           row_number() over (order by {{ sqlmode_u(seed, 'employee_id', y, 'new_hire_termination') }}, employee_id) as nht_rank,
           hire_date + 1 + {{ sqlmode_pick(seed, 'employee_id', y, 'new_hire_termination_date', '(' ~ dec31 ~ ' - hire_date)') }}::INTEGER as nht_date
    from h3
    where hire_date < {{ dec31 }}
)
select h3.*,
       case when nht.nht_rank <= (select tnh from n) then nht.nht_date end as exit_date
from h3 left join nht using (employee_id)
