{#-
  The terminal summary of `wfsim ensemble`: per scenario, year and key
  metric (ensemble_key_metrics), the median over the seeds, the P10-P90
  range, the median paired difference to the baseline and sd_unpaired /
  sd_paired (both '-' for the baseline itself), as printable text (rates
  to 4 places, money and counts to whole units). With the var
  ensemble_summary_csv set, a post-hook writes it there as CSV.
-#}
{{ config(post_hook="{{ ensemble_export_summary_csv(this) }}") }}
{%- set keys = ensemble_key_metrics() %}
{%- set rates = ['participation_rate', 'avg_deferral_rate'] %}
with d as (
    select
        d.*,
        {%- for m in keys %}
        {{ 'case ' if loop.first }}when d.metric = '{{ m }}' then {{ loop.index }}
        {%- endfor %} end                             as metric_order,
        d.metric in ({% for m in rates %}'{{ m }}'{{ ', ' if not loop.last }}{% endfor %})
                                                    as is_rate
    from {{ ref('fct_metric_distributions') }} as d
    where d.metric in ({% for m in keys %}'{{ m }}'{{ ', ' if not loop.last }}{% endfor %})
),

scenario_order as (
    select scenario_id, min(case when is_baseline then 0 else 1 end) as b
    from {{ ref('int_replicate_metric_values') }}
    group by scenario_id
)

select
    d.scenario_id                                   as scenario,
    d.simulation_year                               as year,
    d.metric,
    case when d.is_rate then printf('%.4f', d.p50) else printf('%.0f', d.p50) end
                                                    as median,
    case when d.is_rate then printf('%.4f - %.4f', d.p10, d.p90)
         else printf('%.0f - %.0f', d.p10, d.p90) end
                                                    as p10_p90,
    case when x.p50 is null then NULL
         when d.is_rate then printf('%+.4f', x.p50)
         else printf('%+.0f', x.p50) end            as median_diff,
    printf('%.1f', x.sd_ratio)                      as sd_ratio,
    dense_rank() over (order by o.b, d.scenario_id)  as scenario_order,
    d.metric_order
from d
join scenario_order as o using (scenario_id)
left join {{ ref('fct_scenario_differences') }} as x
  on x.scenario_id = d.scenario_id and x.simulation_year = d.simulation_year
 and x.metric = d.metric
