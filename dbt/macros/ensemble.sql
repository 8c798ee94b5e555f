{#-
  Names shared by the ensemble marts (models/ensemble/).
-#}

{#- The metrics of fct_replicate_metrics that the distributions, the
    differences and the thresholds cover, in this order. -#}
{% macro ensemble_metric_names() %}
  {{ return(['headcount_end', 'hires', 'terminations', 'avg_salary',
             'participation_rate', 'avg_deferral_rate', 'employee_contributions',
             'employer_match', 'employer_core', 'employer_cost']) }}
{% endmacro %}

{#- The percentiles of the distributions and differences (p05 .. p95). -#}
{% macro ensemble_percentiles() %}
  {{ return([5, 10, 25, 50, 75, 90, 95]) }}
{% endmacro %}

{#- The metrics the terminal summary shows, in this order. -#}
{% macro ensemble_key_metrics() %}
  {{ return(['headcount_end', 'participation_rate', 'avg_deferral_rate',
             'employee_contributions', 'employer_cost']) }}
{% endmacro %}

{#- Post-hook of ensemble_summary: the table as CSV (header, comma) to
    the var ensemble_summary_csv when set (`wfsim ensemble` prints it). -#}
{% macro ensemble_export_summary_csv(relation) %}
  {% set csv = state_path_var('ensemble_summary_csv') %}
  {% if csv == '' %}
    {{ return("select 1") }}
  {% endif %}
  {{ return("copy (select * exclude (scenario_order, metric_order) from " ~ relation
            ~ " order by scenario_order, year, metric_order) to "
            ~ state_sql_string(csv) ~ " (format csv, header true, delimiter ',', nullstr '-')") }}
{% endmacro %}
