{#-
  Helpers of SQL mode (docs/sqlmode.md): configuration access, exact
  decimal-to-integer conversion, the date rules of docs/model.md section 3 and
  the output formats of section 5.

  SQL mode has no defaults of its own. The effective configuration arrives
  as the dbt var `wfsim_config` (the canonical JSON of docs/config.md, as a
  dict), the simulation year as `simulation_year`; a missing var or key is
  a compile error naming it. While dbt parses the project (execute is
  false) vars may be absent, so the accessors return a harmless 0 then;
  nothing parsed is ever run.

  Every macro here builds a SQL expression from SQL expressions, except the
  configuration accessors, which return Jinja values.
-#}

{% macro sqlmode_cfg(section, key) -%}
  {%- if not execute -%}{{ return(0) }}{%- endif -%}
  {%- set cfg = wfsim_var('wfsim_config') -%}
  {%- if cfg is string -%}{%- set cfg = fromjson(cfg) -%}{%- endif -%}
  {%- if cfg is not mapping or section not in cfg or cfg[section] is not mapping or key not in cfg[section] -%}
    {{ exceptions.raise_compiler_error("SQL mode: var wfsim_config has no " ~ section ~ "." ~ key ~ " (pass the effective configuration of docs/config.md)") }}
  {%- endif -%}
  {{ return(cfg[section][key]) }}
{%- endmacro %}

{#- The simulation year being computed (var simulation_year, an integer). -#}
{% macro sqlmode_year() -%}
  {%- if not execute -%}{{ return(0) }}{%- endif -%}
  {%- set y = wfsim_var('simulation_year') -%}
  {%- if y is string and y | trim | length > 0 -%}{%- set y = y | int -%}{%- endif -%}
  {%- if y is not number -%}
    {{ exceptions.raise_compiler_error("SQL mode: var simulation_year must be an integer, got " ~ y) }}
  {%- endif -%}
  {%- set y = y | int -%}
  {%- if y < sqlmode_cfg('simulation', 'start_year') or y > sqlmode_cfg('simulation', 'end_year') -%}
    {{ exceptions.raise_compiler_error("SQL mode: simulation_year " ~ y ~ " is outside start_year..end_year of wfsim_config") }}
  {%- endif -%}
  {{ return(y) }}
{%- endmacro %}

{#- A configuration value as a SQL literal: numbers as DOUBLE or BIGINT
    (kind 'double' / 'int'), text quoted, booleans TRUE/FALSE. -#}
{% macro sqlmode_lit(section, key, kind) -%}
  {%- set v = sqlmode_cfg(section, key) -%}
  {%- if kind == 'double' -%}({{ v }})::DOUBLE
  {%- elif kind == 'int' -%}({{ v | int }})::BIGINT
  {%- elif kind == 'bool' -%}{{ 'TRUE' if v else 'FALSE' }}
  {%- elif kind == 'date' -%}DATE '{{ v }}'
  {%- else -%}'{{ v | replace("'", "''") }}'
  {%- endif -%}
{%- endmacro %}

{#- The date of a configured "MM-DD" in year `y` (a SQL expression). -#}
{% macro sqlmode_md(y, section, key) -%}
  {%- set md = sqlmode_cfg(section, key) | string -%}
  {%- if execute -%}
  make_date(({{ y }})::BIGINT, {{ md[0:2] | int }}, {{ md[3:5] | int }})
  {%- else -%}DATE '2000-01-01'{%- endif -%}
{%- endmacro %}

{#- add_years(d, n): same month and day n years later; a 29 February that
    does not exist becomes 28 February. -#}
{% macro sqlmode_add_years(d, n) -%}
(CASE WHEN month({{ d }}) = 2 AND day({{ d }}) = 29
      THEN last_day(make_date(year({{ d }}) + ({{ n }}), 2, 1))
      ELSE make_date(year({{ d }}) + ({{ n }}), month({{ d }}), day({{ d }})) END)
{%- endmacro %}

{#- years(from, d): completed years; 0 when `from` is after d
    (tenure of someone not yet hired). -#}
{% macro sqlmode_years(from, d) -%}
(CASE WHEN ({{ from }}) > ({{ d }}) THEN 0 ELSE
   (year({{ d }}) - year({{ from }})
    - CASE WHEN month({{ from }}) > month({{ d }})
             OR (month({{ from }}) = month({{ d }}) AND day({{ from }}) > day({{ d }}))
           THEN 1 ELSE 0 END) END)::INTEGER
{%- endmacro %}

{#- age(e, d): completed years since the birth date (docs/model.md 3). -#}
{% macro sqlmode_age(birth, d) -%}
{{ sqlmode_years(birth, d) }}
{%- endmacro %}

{#- The eligibility date elig(e) of docs/model.md 3. -#}
{% macro sqlmode_elig(birth, hire) -%}
greatest(({{ hire }}) + ({{ sqlmode_lit('eligibility', 'waiting_period_days', 'int') }})::INTEGER,
         {{ sqlmode_add_years(birth, sqlmode_lit('eligibility', 'minimum_age', 'int')) }})
{%- endmacro %}

{#- Is `t` decimal text as docs/model.md 6 allows (optional sign, digits with an
    optional fraction, optional exponent)? -#}
{% macro sqlmode_is_decimal(t) -%}
(regexp_full_match(trim({{ t }}), '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?'))
{%- endmacro %}

{#- Decimal text to integer units of 10^-scale (scale 2: cents, 4: bp,
    6: ppm), from the exact decimal, rounded half away from zero. Pure text
    work: the digits are shifted by the exponent and the scale, cut after
    the units digit, and the first dropped digit decides the rounding.
    The result is HUGEINT; NULL or non-decimal text gives NULL. -#}
{% macro sqlmode_units(t, scale) -%}
CASE WHEN {{ sqlmode_is_decimal(t) }} THEN list_transform([regexp_extract(trim({{ t }}), '^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$', ['s', 'i', 'f', 'e'])],
  lambda wf_m: list_transform([{'s': wf_m.s, 'd': wf_m.i || wf_m.f,
                             'p': length(wf_m.i) + coalesce(TRY_CAST(nullif(wf_m.e, '') AS BIGINT), 0) + {{ scale }}}],
  lambda wf_q: list_transform([{'s': wf_q.s,
                             'd': repeat('0', greatest(0, 1 - wf_q.p)) || wf_q.d || repeat('0', greatest(0, wf_q.p + 1 - length(wf_q.d))),
                             'p': greatest(wf_q.p, 1)}],
  lambda wf_r: (CASE WHEN wf_r.s = '-' THEN -1 ELSE 1 END)::HUGEINT
            * (substr(wf_r.d, 1, wf_r.p)::HUGEINT + CASE WHEN substr(wf_r.d, wf_r.p + 1, 1) >= '5' THEN 1 ELSE 0 END))[1])[1])[1] END
{%- endmacro %}

{#- Exact output formats of docs/model.md 5.1: cents as DECIMAL(18,2), basis
    points as DECIMAL(9,4), built from text so no rounding can occur. -#}
{% macro sqlmode_money(cents) -%}
(CASE WHEN ({{ cents }}) IS NULL THEN NULL ELSE
  CAST((CASE WHEN ({{ cents }}) < 0 THEN '-' ELSE '' END)
       || CAST(abs({{ cents }}) // 100 AS VARCHAR) || '.'
       || lpad(CAST(abs({{ cents }}) % 100 AS VARCHAR), 2, '0') AS DECIMAL(18, 2)) END)
{%- endmacro %}

{% macro sqlmode_rate(bp) -%}
(CASE WHEN ({{ bp }}) IS NULL THEN NULL ELSE
  CAST(CAST(({{ bp }}) // 10000 AS VARCHAR) || '.'
       || lpad(CAST(({{ bp }}) % 10000 AS VARCHAR), 4, '0') AS DECIMAL(9, 4)) END)
{%- endmacro %}

{#- u(seed, entity, year, stream) with a Jinja year and quoted seed text;
    stream must be one of wf_schema.h (a typo is a compile error). -#}
{% macro sqlmode_u(seed, entity, y, stream) -%}
{{ wfsim_check_stream(stream) }}{{ wf_rng_u(seed, entity, "'" ~ y ~ "'", stream) }}
{%- endmacro %}

{% macro sqlmode_pick(seed, entity, y, stream, n) -%}
{{ wfsim_check_stream(stream) }}{{ wf_rng_pick(seed, entity, "'" ~ y ~ "'", stream, n) }}
{%- endmacro %}

{#- "Active on day d" (docs/model.md 3) for a row with hire_date and exit_date
    (the termination date, null when none) of the year's workforce. -#}
{% macro sqlmode_active(d) -%}
(hire_date <= ({{ d }}) and (exit_date is null or exit_date > ({{ d }})))
{%- endmacro %}

{#- Workforce needs of docs/model.md 4.1, integers only: a SELECT over relation
    `rel` holding columns n, p, r (counts) and g, te, tnh (ppm), giving
    n, p, x, r, target, q, te_final, net, h, tnh_final per row. -#}
{% macro sqlmode_needs_calc(rel) -%}
select n, p, x, r, target, q,
       case when net > 0 then te0 else least(n - r, te0 - net) end as te_final,
       net,
       case when net > 0 then (net * 1000000 + (1000000 - tnh) - 1) // (1000000 - tnh) else 0 end as h,
       case when net > 0 then (net * 1000000 + (1000000 - tnh) - 1) // (1000000 - tnh) - net else 0 end as tnh_final
from (
    select *, greatest(0, q - r) as te0, target - (n - r - greatest(0, q - r)) as net
    from (
        select n::HUGEINT as n, p::HUGEINT as p, (n - p)::HUGEINT as x, r::HUGEINT as r,
               tnh::HUGEINT as tnh,
               (n::HUGEINT * (1000000 + g::HUGEINT) + 500000) // 1000000 as target,
               ((n - p)::HUGEINT * te::HUGEINT + p::HUGEINT * tnh::HUGEINT) // 1000000 as q
        from {{ rel }}
    ) t
) u
{%- endmacro %}
