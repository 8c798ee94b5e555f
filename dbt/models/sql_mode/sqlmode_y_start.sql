{#- S(y): the employees active at January 1 of the simulation year, with
    their carried state and the values "for the year" (docs/model.md 3): age,
    tenure, bands, segments, hazards, eligibility date, and the retirement
    decision and exit day of docs/model.md 4.1 / 4.2.

    For start_year S(y) is the census (sqlmode_census). For a later year it
    is read from sqlmode_state, the year-end state that the run for y - 1
    stored (looked up by name, not ref(), because sqlmode_state is built
    from this model); a year y - 1 that was not run (no row of it in
    sqlmode_needs) is an error. A year may leave nobody in the workforce;
    the next year then starts empty, as in the engine. -#}
{{ config(materialized='table') }}
{%- set census = ref('sqlmode_census') -%}
{%- set y = sqlmode_year() -%}
{%- set start = sqlmode_cfg('simulation', 'start_year') | int -%}
{%- set seed = "'" ~ sqlmode_cfg('simulation', 'random_seed') ~ "'" -%}
{%- set state = none -%}
{%- if execute and y > start -%}
  {%- set state = adapter.get_relation(database=this.database, schema=this.schema, identifier='sqlmode_state') -%}
  {%- if state is none -%}
    {{ exceptions.raise_compiler_error("SQL mode: no sqlmode_state to start year " ~ y ~ " from; run year " ~ (y - 1) ~ " first") }}
  {%- endif -%}
  {#- sqlmode_needs has one row for every year run, even one that left
      nobody in the workforce (then sqlmode_state has no row of it) -#}
  {%- set needs = adapter.get_relation(database=this.database, schema=this.schema, identifier='sqlmode_needs') -%}
  {%- set n = 0 if needs is none else run_query("SELECT count(*) FROM " ~ needs ~ " WHERE simulation_year = " ~ (y - 1)).columns[0].values()[0] -%}
  {%- if n == 0 -%}
    {{ exceptions.raise_compiler_error("SQL mode: year " ~ (y - 1) ~ " has not been run; run the years in order from start_year") }}
  {%- endif -%}
{%- endif -%}
{%- set jan1 = "make_date(" ~ y ~ ", 1, 1)" -%}

with s as (
{%- if state is none %}
    select employee_id, birth_date, hire_date, level_id, salary_cents, deferral_bp,
           enrolled, enrollment_date, enrollment_source, ever_opted_out, auto_escalation_opt_out,
           CAST(NULL AS DATE) as pending_optout_date, CAST(NULL AS DOUBLE) as pending_optout_p
    from {{ census }}
{%- else %}
    select employee_id, birth_date, hire_date, level_id, salary_cents, deferral_bp,
           enrolled, enrollment_date, enrollment_source, ever_opted_out, auto_escalation_opt_out,
           pending_optout_date, pending_optout_p
    from {{ state }}
    where simulation_year = {{ y - 1 }} and employment_status = 'active'
{%- endif %}
),
f as (
    select s.*,
           {{ sqlmode_elig('s.birth_date', 's.hire_date') }} as elig_date,
           {{ sqlmode_age('s.birth_date', jan1) }} as age_y,
           {{ sqlmode_years('s.hire_date', jan1) }} as tenure_y
    from s
)
select f.*,
       ta.band_label as age_band_y,
       tt.band_label as tenure_band_y,
       ta.multiplier as term_age_mult,
       tt.multiplier as term_tenure_mult,
       pa.multiplier as promo_age_mult,
       pt.multiplier as promo_tenure_mult,
       case when b.age_segment is null
            then error('SQL mode: salary of ' || f.employee_id || ' at January 1 of {{ y }} is at or above the top income segment maximum')
            end as segment_check,
       b.voluntary_probability, b.conversion_probability, b.voluntary_deferral_bp, b.opt_out_probability,
       l.termination_base, l.promotion_base,
       (l.termination_base * ta.multiplier) * tt.multiplier as hazard,
       {{ sqlmode_u(seed, 'f.employee_id', y, 'retirement') }} as u_retirement,
       {{ sqlmode_u(seed, 'f.employee_id', y, 'termination') }} as u_termination,
       {{ jan1 }} + {{ wf_rng_pick(seed, 'f.employee_id', "'" ~ y ~ "'", 'termination_date', 'dayofyear(make_date(' ~ y ~ ', 12, 31))') }}::INTEGER as exit_day,
       f.age_y >= {{ sqlmode_lit('workforce', 'retirement_age', 'int') }}
         and {{ sqlmode_u(seed, 'f.employee_id', y, 'retirement') }} < {{ sqlmode_lit('workforce', 'retirement_probability', 'double') }} as retires
from f
join {{ ref('sqlmode_p_levels') }} l on l.level_id = f.level_id
join {{ ref('sqlmode_p_hazards') }} ta
  on ta.hazard = 'termination' and ta.dimension = 'age' and f.age_y >= ta.min_value and f.age_y < ta.max_value
join {{ ref('sqlmode_p_hazards') }} tt
  on tt.hazard = 'termination' and tt.dimension = 'tenure' and f.tenure_y >= tt.min_value and f.tenure_y < tt.max_value
join {{ ref('sqlmode_p_hazards') }} pa
  on pa.hazard = 'promotion' and pa.dimension = 'age' and f.age_y >= pa.min_value and f.age_y < pa.max_value
join {{ ref('sqlmode_p_hazards') }} pt
  on pt.hazard = 'promotion' and pt.dimension = 'tenure' and f.tenure_y >= pt.min_value and f.tenure_y < pt.max_value
left join {{ ref('sqlmode_p_behaviour') }} b
  on f.age_y >= b.min_age and f.age_y < b.max_age and f.salary_cents >= b.min_cents and f.salary_cents < b.max_cents
