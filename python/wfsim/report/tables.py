"""The report's tables: one function per table, one query each, against the
marts named in the table's source. The page draws a chart from each and
prints the table under it; the workbook writes the wider sheets from the
queries at the bottom of this file.
"""
from __future__ import annotations

from .formats import Column as C
from .formats import Table
from .source import FAN_METRICS, KEYS, RunData

Y = C("simulation_year", "Year", "year")


def headcount_flow(d: RunData) -> Table:
    return d.table(
        "Headcount flow per year", "metrics_workforce_by_year",
        [Y, C("start_headcount", "Start"), C("hires", "Hires"),
         C("terminations", "Terminations"), C("end_headcount", "Year end"),
         C("target", "Target"), C("end_minus_target", "End - target")],
        "select simulation_year, start_headcount, hires, terminations, end_headcount, "
        f"target, end_minus_target from metrics_workforce_by_year "
        f"{d.where('metrics_workforce_by_year')} order by 1")


def turnover(d: RunData) -> Table:
    return d.table(
        "Turnover per year", "metrics_workforce_by_year",
        [Y, C("turnover_rate", "All terminations / start", "rate"),
         C("experienced_turnover_rate", "Experienced (incl. retirements) / start", "rate"),
         C("retirement_rate", "Retirements / start", "rate"),
         C("new_hire_termination_rate", "New-hire terminations / hires", "rate")],
        "select simulation_year, turnover_rate, experienced_turnover_rate, retirement_rate, "
        "new_hire_termination_rate from metrics_workforce_by_year "
        f"{d.where('metrics_workforce_by_year')} order by 1")


# The three mixes: the census on the census date (start) against those
# active on December 31 of the last year (end). Age and tenure are completed
# years, banded by the same seeds the snapshot uses.
_YEARS_BETWEEN = ("(year({b}) - year({a}) - case when month({a}) * 100 + day({a}) "
                  "> month({b}) * 100 + day({b}) then 1 else 0 end)")

MIX_DIMENSIONS = {
    "age_band": ("Age band", "stg_wfsim__age_bands",
                 _YEARS_BETWEEN.format(a="c.birth_date", b="y.census_date")),
    "tenure_band": ("Tenure band (years)", "stg_wfsim__tenure_bands",
                    "greatest(0, " + _YEARS_BETWEEN.format(a="c.hire_date", b="y.census_date") + ")"),
    "level": ("Level", None, None),
}


def mix(d: RunData, dim: str) -> Table:
    label, bands, start_value = MIX_DIMENSIONS[dim]
    snap = d.where("fct_workforce_snapshot", "employment_status = 'active'",
                   "simulation_year = (select max(simulation_year) from int_simulation_years)")
    cols = [C("category", label, "text"), C("start_headcount", "Start (census)"),
            C("start_share", "Start share", "rate"), C("end_headcount", "End (last year-end)"),
            C("end_share", "End share", "rate")]
    if dim == "level":
        sql = f"""
        with s as (select level_id as k, count(*) as n from stg_wfsim__census group by 1),
             e as (select level_id as k, count(*) as n from fct_workforce_snapshot {snap} group by 1),
             cats as (select level_id as k, level_id || ' ' || level_name as category,
                             level_id as ord from stg_wfsim__levels)"""
    else:
        sql = f"""
        with y as (select min(census_date) as census_date from int_simulation_years),
             cats as (select band_label as k, band_label as category, min_value as ord
                      from {bands}),
             s as (select b.band_label as k, count(*) as n
                   from stg_wfsim__census c cross join y
                   join {bands} b on {start_value} >= b.min_value and {start_value} < b.max_value
                   group by 1),
             e as (select {dim} as k, count(*) as n from fct_workforce_snapshot {snap} group by 1)"""
    sql += """
        select cats.category, coalesce(s.n, 0) as start_headcount,
               coalesce(s.n, 0)::DOUBLE / nullif(sum(coalesce(s.n, 0)) over (), 0) as start_share,
               coalesce(e.n, 0) as end_headcount,
               coalesce(e.n, 0)::DOUBLE / nullif(sum(coalesce(e.n, 0)) over (), 0) as end_share
        from cats left join s using (k) left join e using (k)
        order by cats.ord"""
    return d.table(f"Workforce mix by {label.lower()}: start and end",
                   "stg_wfsim__census, fct_workforce_snapshot", cols, sql)


def pay(d: RunData) -> Table:
    return d.table(
        "Average salary and its growth", "metrics_compensation_by_year",
        [Y, C("average_salary", "Average salary (year end)", "money"),
         C("average_salary_growth", "Growth", "rate"),
         C("year_end_payroll", "Year-end payroll", "money0"),
         C("total_prorated_compensation", "Pay earned in the year", "money0"),
         C("total_compensation_growth", "Pay growth", "rate")],
        "select simulation_year, average_salary, average_salary_growth, year_end_payroll, "
        "total_prorated_compensation, total_compensation_growth "
        f"from metrics_compensation_by_year {d.where('metrics_compensation_by_year')} order by 1")


def participation(d: RunData) -> Table:
    return d.table(
        "Participation and average deferral", "metrics_plan_by_year",
        [Y, C("eligible_headcount", "Eligible (active)"),
         C("participating_headcount", "Participating"),
         C("participation_rate", "Participation rate", "rate"),
         C("average_deferral_rate", "Average deferral", "rate"),
         C("auto_enrollments", "Auto-enrolled"), C("voluntary_enrollments", "Enrolled voluntarily"),
         C("opt_outs", "Opt-outs"), C("escalations", "Escalations")],
        "select simulation_year, eligible_headcount, participating_headcount, participation_rate, "
        "average_deferral_rate, auto_enrollments, voluntary_enrollments, opt_outs, escalations "
        f"from metrics_plan_by_year {d.where('metrics_plan_by_year')} order by 1")


def contributions(d: RunData) -> Table:
    return d.table(
        "Contributions and employer cost", "metrics_plan_by_year",
        [Y, C("employee_contributions", "Employee contributions", "money0"),
         C("employer_match", "Employer match", "money0"),
         C("employer_core", "Employer core", "money0"),
         C("employer_cost", "Employer cost", "money0"),
         C("employer_cost_rate", "Employer cost / plan pay", "rate")],
        "select simulation_year, employee_contributions, employer_match, employer_core, "
        "employer_cost, employer_cost_rate "
        f"from metrics_plan_by_year {d.where('metrics_plan_by_year')} order by 1")


# -- the plan design: cost by source and the nondiscrimination tests ---------

def _plan_scope(d: RunData, table: str, alias: str = "") -> tuple[list, str, str, list]:
    """(leading columns, WHERE, ORDER BY prefix, params) for the plan design
    tables: a run shows its replicate; an ensemble every scenario (and plan
    design) at the shown seed, baseline first, so designs sit side by side
    on the same draws (the workbook's sheets hold every seed)."""
    if not d.is_ensemble:
        return [], d.where(table), "", []
    seed = d.replicate.get("random_seed")
    where = f"where {alias}random_seed = {int(seed)}" if seed is not None else ""
    lab = _scenario_label(d, table).replace("scenario_id", f"{alias}scenario_id") \
        .replace("plan_design_id", f"{alias}plan_design_id")
    return ([(C("scenario", "Scenario", "text"), f"{lab} as scenario")], where,
            f"{alias}scenario_id is distinct from ?, scenario, ", [d.baseline_scenario()])


def plan_cost(d: RunData) -> Table:
    """Employer cost by source under the plan design's forfeiture policy."""
    lead, where, order, params = _plan_scope(d, "metrics_plan_by_year", "p.")
    policy = ("d.forfeiture_policy" if "int_replicate_plan_design" in d.tables
              else "NULL::VARCHAR")
    join = ("left join int_replicate_plan_design d using (scenario_id, plan_design_id, random_seed)"
            if "int_replicate_plan_design" in d.tables else "")
    cols = [c for c, _ in lead] + [
        Y, C("employer_match", "Employer match", "money0"),
        C("employer_core", "Employer core", "money0"),
        C("employer_cost", "Employer contributions", "money0"),
        C("forfeitures", "Forfeitures (leavers' unvested)", "money0"),
        C("forfeiture_policy", "Forfeiture policy", "text"),
        C("forfeitures_applied", "Forfeitures applied", "money0"),
        C("net_employer_cost", "Net employer cost", "money0")]
    select = [e for _, e in lead] + [
        "p.simulation_year", "p.employer_match", "p.employer_core", "p.employer_cost",
        "p.forfeitures", f"{policy} as forfeiture_policy", "p.forfeitures_applied",
        "p.net_employer_cost"]
    return d.table(
        "Employer cost by source", "metrics_plan_by_year, int_replicate_plan_design", cols,
        f"select {', '.join(select)} from metrics_plan_by_year p {join} {where} "
        f"order by {order}p.simulation_year", params)


def nondiscrimination(d: RunData) -> Table:
    """fct_ndt_results: the ADP and ACP tests per year; a safe-harbor
    design's rows say exempt."""
    lead, where, order, params = _plan_scope(d, "fct_ndt_results")
    cols = [c for c, _ in lead] + [
        Y, C("test", "Test", "text"), C("method", "Method", "text"),
        C("nhce_basis_year", "NHCE year", "year"),
        C("hce_count", "HCEs"), C("nhce_count", "NHCEs"),
        C("hce_average", "HCE average", "rate"), C("nhce_average", "NHCE average", "rate"),
        C("limit_value", "Limit", "rate"), C("result", "Result", "text"),
        C("margin", "Margin", "rate")]
    select = [e for _, e in lead] + [
        "simulation_year", "test", "method", "nhce_basis_year", "hce_count", "nhce_count",
        "hce_average", "nhce_average", "limit_value",
        "case when is_exempt then 'exempt (safe harbor)' when passed then 'passed' "
        "else 'failed' end as result", "margin"]
    return d.table(
        "Nondiscrimination tests (ADP, ACP)", "fct_ndt_results", cols,
        f"select {', '.join(select)} from fct_ndt_results {where} "
        f"order by {order}simulation_year, test", params)


# -- ensembles ---------------------------------------------------------------

def _scenario_label(d: RunData, table: str) -> str:
    """scenario_id, or scenario_id / plan_design_id when a scenario has
    several plan designs."""
    if "plan_design_id" not in d.columns(table):
        return "scenario_id"
    many = d.con.execute(f"select count(distinct plan_design_id) > count(distinct scenario_id) "
                         f"from {table}").fetchone()[0]
    return "scenario_id || ' / ' || plan_design_id" if many else "scenario_id"


def fan(d: RunData, metric: str) -> Table:
    label, kind = {m: (lab, k) for m, lab, k in FAN_METRICS}[metric]
    lab = _scenario_label(d, "fct_metric_distributions")
    return d.table(
        f"{label}: median and spread over seeds", "fct_metric_distributions",
        [C("scenario", "Scenario", "text"), Y, C("n_seeds", "Seeds"),
         C("p10", "P10", kind), C("p25", "P25", kind), C("p50", "Median", kind),
         C("p75", "P75", kind), C("p90", "P90", kind), C("mean", "Mean", kind)],
        f"select {lab} as scenario, simulation_year, n_seeds, p10, p25, p50, p75, p90, mean "
        "from fct_metric_distributions where metric = ? "
        "order by scenario_id is distinct from ?, 1, 2", [metric, d.baseline_scenario()])


def _sd_ratio(d: RunData) -> str:
    """fct_scenario_differences' sd_ratio, or the same computed here."""
    if "sd_ratio" in d.columns("fct_scenario_differences"):
        return "sd_ratio"
    return "sd_unpaired / nullif(sd_paired, 0) as sd_ratio"


def difference(d: RunData, metric: str) -> Table:
    label, kind = {m: (lab, k) for m, lab, k in FAN_METRICS}[metric]
    return d.table(
        f"{label}: paired difference to the baseline", "fct_scenario_differences",
        [C("scenario_id", "Scenario", "text"), C("baseline_scenario_id", "Baseline", "text"), Y,
         C("n_seeds", "Seeds"), C("p10", "P10", kind), C("p25", "P25", kind),
         C("p50", "Median", kind), C("p75", "P75", kind), C("p90", "P90", kind),
         C("mean_diff", "Mean", kind), C("sd_paired", "SD paired", kind),
         C("sd_unpaired", "SD unpaired", kind),
         C("sd_ratio", "SD unpaired / SD paired", "ratio")],
        "select scenario_id, baseline_scenario_id, simulation_year, n_seeds, p10, p25, p50, "
        f"p75, p90, mean_diff, sd_paired, sd_unpaired, {_sd_ratio(d)} "
        "from fct_scenario_differences where metric = ? and scenario_id <> baseline_scenario_id "
        "order by 1, 3", [metric])


def thresholds(d: RunData) -> Table:
    """Every column of fct_threshold_probabilities; probabilities (columns
    named like prob*) as rates, money-like thresholds as numbers."""
    names = d.columns("fct_threshold_probabilities")
    cols = []
    for n in names:
        if n in ("simulation_year",):
            cols.append(Y)
        elif n.startswith("prob") or n.endswith("probability"):
            cols.append(C(n, "P(metric > threshold)", "rate"))
        elif n in ("n_seeds", "n_above", "seeds_above", "random_seed"):
            cols.append(C(n, {"n_seeds": "Seeds", "n_above": "Seeds above"}.get(
                n, n.replace("_", " ").capitalize())))
        elif n == "threshold":
            cols.append(C(n, "Threshold", "number"))
        else:
            cols.append(C(n, {"scenario_id": "Scenario", "plan_design_id": "Plan design"}.get(
                n, n.replace("_", " ").capitalize()), "text"))
    order = [str(i + 1) for i, c in enumerate(cols) if c.kind in ("text", "year")]
    params = []
    if "scenario_id" in names:
        order.insert(0, "scenario_id is distinct from ?")
        params.append(d.baseline_scenario())
    return d.table("Probability that a metric exceeds its threshold",
                   "fct_threshold_probabilities", cols,
                   f"select {', '.join(names)} from fct_threshold_probabilities"
                   + (f" order by {', '.join(order)}" if order else ""), params)


# -- wider tables for the workbook ------------------------------------------

def by_year(d: RunData) -> tuple[list[str], list[tuple]]:
    """metrics_workforce_by_year, _compensation_by_year and _plan_by_year
    joined on their keys: every column once, every replicate."""
    keys = [k for k in KEYS if k in d.columns("metrics_workforce_by_year")] + ["simulation_year"]
    seen, select = set(keys), [f"w.{k}" for k in keys]
    for alias, t in (("w", "metrics_workforce_by_year"), ("c", "metrics_compensation_by_year"),
                     ("p", "metrics_plan_by_year")):
        for col in d.columns(t):
            if col not in seen:
                seen.add(col)
                select.append(f"{alias}.{col}")
    using = ", ".join(keys)
    return d.query(f"select {', '.join(select)} from metrics_workforce_by_year w "
                   f"join metrics_compensation_by_year c using ({using}) "
                   f"join metrics_plan_by_year p using ({using}) "
                   f"order by {', '.join(str(i + 1) for i in range(len(keys)))}")


def plan_cost_all(d: RunData) -> tuple[list[str], list[tuple]]:
    """The cost by source of every replicate and year (metrics_plan_by_year)."""
    keys = [k for k in KEYS if k in d.columns("metrics_plan_by_year")] + ["simulation_year"]
    return d.query("select " + ", ".join(keys) + ", employer_match, employer_core, employer_cost, "
                   "forfeitures, forfeitures_applied, net_employer_cost from metrics_plan_by_year "
                   f"order by {', '.join(keys)}")


def ndt_all(d: RunData) -> tuple[list[str], list[tuple]]:
    """Every row of fct_ndt_results."""
    keys = [k for k in KEYS if k in d.columns("fct_ndt_results")] + ["simulation_year", "test"]
    return d.query(f"select * from fct_ndt_results order by {', '.join(keys)}")


def by_level(d: RunData) -> tuple[list[str], list[tuple]]:
    names = d.columns("metrics_headcount_by_level")
    keys = [k for k in KEYS if k in names] + ["simulation_year", "level_id"]
    return d.query(f"select * from metrics_headcount_by_level order by {', '.join(keys)}")


def events_by_type(d: RunData) -> tuple[list[str], list[tuple]]:
    """Events per replicate, year, type and category. Read from the
    staging view of the event files (the same rows as fct_yearly_events
    without its join to the employees: an ensemble's events are many)."""
    src = "stg_wfsim__events" if "stg_wfsim__events" in d.tables else "fct_yearly_events"
    keys = [k for k in KEYS if k in d.columns(src)] + ["simulation_year", "event_type",
                                                       "event_category"]
    k = ", ".join(keys)
    return d.query(f"select {k}, count(*) as events from {src} group by all order by {k}")


def distributions(d: RunData) -> tuple[list[str], list[tuple]]:
    names = d.columns("fct_metric_distributions")
    keys = [k for k in ("scenario_id", "plan_design_id", "metric", "simulation_year") if k in names]
    return d.query(f"select * from fct_metric_distributions order by {', '.join(keys)}")


def ensemble_summary(d: RunData) -> tuple[list[str], list[tuple]]:
    """Per scenario (baseline first), year and metric: the median over the
    seeds, P10 and P90, and the median paired difference to the baseline
    with sd_unpaired / sd_paired (empty for the baseline)."""
    has_diff = "fct_scenario_differences" in d.tables
    ratio = ("x.sd_ratio" if has_diff and "sd_ratio" in d.columns("fct_scenario_differences")
             else "x.sd_unpaired / nullif(x.sd_paired, 0)")
    join = ("left join fct_scenario_differences x on x.scenario_id = m.scenario_id "
            "and x.simulation_year = m.simulation_year and x.metric = m.metric") if has_diff else ""
    diff = f"x.p50 as median_difference, {ratio} as sd_ratio" if has_diff else \
        "NULL::DOUBLE as median_difference, NULL::DOUBLE as sd_ratio"
    return d.query(
        f"select m.scenario_id, m.plan_design_id, m.simulation_year, m.metric, m.n_seeds, "
        f"m.p50 as median, m.p10, m.p90, {diff} from fct_metric_distributions m {join} "
        "order by m.scenario_id is distinct from ?, m.scenario_id, m.plan_design_id, "
        "m.metric, m.simulation_year", [d.baseline_scenario()])


def scenario_differences(d: RunData) -> tuple[list[str], list[tuple]]:
    extra = "" if "sd_ratio" in d.columns("fct_scenario_differences") else \
        ", sd_unpaired / nullif(sd_paired, 0) as sd_ratio"
    return d.query(f"select *{extra} from fct_scenario_differences "
                   "order by scenario_id, metric, simulation_year")
