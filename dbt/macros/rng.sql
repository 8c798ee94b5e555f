{#-
  Keyed draws of docs/model.md section 1, as SQL expressions.

  Every random number of the model is a pure function of the text key
  "{seed}|{entity}|{year}|{stream}": x is the first four bytes of the MD5 of
  the key read big-endian (the first eight hex digits), u = x / 2^32 and
  pick(n) = (x * n) >> 32. These macros only build expressions; each argument
  is a SQL expression (a column, or a literal you quote yourself), except
  `stream`, which is a bare stream name and is quoted here. Nothing is
  evaluated in Jinja, so the same macro serves every row of a query.

  wf_rng_x_key(key)         x of a ready-made key (UBIGINT)
  wf_rng_key(seed, entity, year, stream)
                            the key text
  wf_rng_x / wf_rng_u / wf_rng_pick(seed, entity, year, stream[, n])
                            x (UBIGINT), u (DOUBLE), pick(n) (BIGINT)
-#}

{% macro wf_rng_x_key(key) -%}
(('0x' || substr(md5({{ key }}), 1, 8))::UBIGINT)
{%- endmacro %}

{% macro wf_rng_u_key(key) -%}
({{ wf_rng_x_key(key) }}::DOUBLE / 4294967296::DOUBLE)
{%- endmacro %}

{% macro wf_rng_pick_key(key, n) -%}
((({{ wf_rng_x_key(key) }} * ({{ n }})::UBIGINT) >> 32)::BIGINT)
{%- endmacro %}

{% macro wf_rng_key(seed, entity, year, stream) -%}
(CAST({{ seed }} AS VARCHAR) || '|' || CAST({{ entity }} AS VARCHAR) || '|' || CAST({{ year }} AS VARCHAR) || '|' || '{{ stream }}')
{%- endmacro %}

{% macro wf_rng_x(seed, entity, year, stream) -%}
{{ wf_rng_x_key(wf_rng_key(seed, entity, year, stream)) }}
{%- endmacro %}

{% macro wf_rng_u(seed, entity, year, stream) -%}
{{ wf_rng_u_key(wf_rng_key(seed, entity, year, stream)) }}
{%- endmacro %}

{% macro wf_rng_pick(seed, entity, year, stream, n) -%}
{{ wf_rng_pick_key(wf_rng_key(seed, entity, year, stream), n) }}
{%- endmacro %}
