"""report.html: one self-contained page (Jinja2 template, inline CSS, inline
SVG charts; no script, font, image or style is fetched from anywhere).

The page is a list of sections; a section is a list of figures; a figure
is a chart, one sentence saying what it shows, and the table of the
numbers it draws (`data-table` names the table, `data-source` its marts and
each header's `data-column` the column, for the tests).
"""
from __future__ import annotations

import dataclasses
import datetime
import os
import pathlib

import jinja2

from . import charts, tables
from .formats import Table, display
from .source import FAN_METRICS, RunData, config_differences


@dataclasses.dataclass
class Figure:
    key: str
    svg: str
    caption: str
    table: Table


@dataclasses.dataclass
class Section:
    key: str
    title: str
    intro: str
    figures: list[Figure]


def _mix_caption(dim_label):
    return (f"Share of the workforce by {dim_label}: the census on the census date "
            "against those active on December 31 of the last year.")


def single_run_sections(d: RunData) -> list[Section]:
    hc, to = tables.headcount_flow(d), tables.turnover(d)
    mixes = [(dim, tables.mix(d, dim)) for dim in tables.MIX_DIMENSIONS]
    pay = tables.pay(d)
    part, contrib = tables.participation(d), tables.contributions(d)
    return [
        Section("workforce", "Workforce", "", [
            Figure("headcount_flow", charts.headcount_flow(hc),
                   "Employees at the start of each year, hires and terminations during it, "
                   "and the year-end headcount against the growth target.", hc),
            Figure("turnover", charts.turnover(to),
                   "Terminations as a share of the start-of-year headcount, and new-hire "
                   "terminations as a share of the year's hires.", to),
            *[Figure(f"mix_{dim}", charts.mix(t), _mix_caption(
                tables.MIX_DIMENSIONS[dim][0].lower()), t) for dim, t in mixes],
        ]),
        Section("pay", "Pay", "", [
            Figure("pay", charts.pay(pay),
                   "Average annual salary of those active on December 31, and its growth "
                   "on the year before.", pay),
        ]),
        Section("plan", "The 401(k) plan", "", [
            Figure("participation", charts.participation(part),
                   "Participants (enrolled, deferring more than 0%) as a share of the "
                   "eligible active employees at year end, and their mean deferral rate.", part),
            Figure("contributions", charts.contributions(contrib),
                   "Contributions of the year after the IRS limits: the employees' deferrals, "
                   "and the employer's match and core contributions (together the employer "
                   "cost).", contrib),
        ]),
    ]


def plan_design_section(d: RunData) -> list[Section]:
    """Cost by source and the ADP/ACP tests: the replicate of a run, every
    scenario (at the shown seed) of an ensemble."""
    if "fct_ndt_results" not in d.tables or "net_employer_cost" not in d.columns(
            "metrics_plan_by_year"):
        return []
    cost, ndt = tables.plan_cost(d), tables.nondiscrimination(d)
    scope = (f"Every scenario at seed {d.replicate.get('random_seed')}, the seed the "
             "single-run sections show (the workbook's sheets hold every seed)."
             if d.is_ensemble else "")
    return [Section("plan_design", "Plan design: cost and nondiscrimination", scope, [
        Figure("plan_cost", charts.plan_cost(cost),
               "The employer's match and core contributions by year, the forfeitures "
               "(the unvested money of those who left) and, under the plan's forfeiture "
               "policy, the net employer cost: offset_next_year takes a year's "
               "forfeitures off the next year's contributions, pay_expenses leaves the "
               "cost whole.", cost),
        Figure("nondiscrimination", charts.nondiscrimination(ndt),
               "The ADP (deferrals) and ACP (match) tests: the HCEs' average share of "
               "plan pay against the limit set by the NHCEs' (1.25 x, or 2 x and at "
               "most 2 points more); the margin is the limit minus the HCE average. "
               "Safe-harbor match formulas are exempt.", ndt),
    ])]


def ensemble_sections(d: RunData) -> list[Section]:
    out = []
    many_seeds = "fct_metric_distributions" in d.tables and (d.con.execute(
        "select max(n_seeds) from fct_metric_distributions").fetchone()[0] or 0) > 1
    if many_seeds:
        figs = []
        for metric, label, _kind in FAN_METRICS:
            t = tables.fan(d, metric)
            if t.rows:
                figs.append(Figure(f"fan_{metric}", charts.fan(t, label, "% of eligible"),
                                   f"{label} by year for each scenario: the median over the "
                                   "seeds, the middle half of the seeds (P25-P75) and four "
                                   "fifths of them (P10-P90).", t))
        out.append(Section("ensemble", "Ensemble: spread over seeds",
                           "Each scenario was run with the same seeds; the bands show how "
                           "much the outcome varies from seed to seed.", figs))
    if "fct_scenario_differences" in d.tables:
        figs = []
        for metric, label, _kind in FAN_METRICS:
            t = tables.difference(d, metric)
            if t.rows:
                figs.append(Figure(f"difference_{metric}",
                                   charts.fan(t, f"Difference in {label.lower()}", "points",
                                              key="scenario_id", zero_line=True),
                                   f"{label} of each scenario minus the baseline's, seed by "
                                   "seed (common random numbers): median and bands of the "
                                   "paired differences. SD unpaired / SD paired is how much "
                                   "narrower the pairing makes the comparison.", t))
        if figs:
            out.append(Section("differences", "Scenarios against the baseline", "", figs))
    if "fct_threshold_probabilities" in d.tables and d.is_ensemble:
        t = tables.thresholds(d)
        if t.rows and any(c.kind == "rate" for c in t.columns):
            out.append(Section("thresholds", "Threshold probabilities", "", [
                Figure("thresholds", charts.thresholds(t),
                       "The share of seeds in which the metric exceeds the threshold set in "
                       "the configuration, by scenario and year.", t)]))
    return out


def report_time() -> datetime.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (as the engine's created_at), so
    that a report can be made twice byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.now(datetime.timezone.utc)


def run_facts(d: RunData, defaults: dict | None, version: str | None) -> dict:
    """What was run, for the page's first block and the Metadata sheet."""
    summaries = d.summaries()
    first = summaries[0] if summaries else {}
    scen = d.scenarios()
    baseline_cfg = scen[0]["config"] if len(scen) > 1 else defaults
    baseline_name = ("the baseline scenario" if len(scen) > 1
                     else "docs/model.md's defaults" if defaults else None)
    for i, s in enumerate(scen):
        s["differences"] = (config_differences(s["config"], baseline_cfg)
                            if baseline_cfg is not None and (i > 0 or len(scen) == 1) else [])
    start, end = d.years()
    seeds = d.seeds()
    rs = d.run_summary()
    facts = {
        "report_version": version,
        "engine_version": first.get("engine_version"),
        "model_version": first.get("model_version"),
        "mode": rs.get("mode"),
        "census": d.census(),
        "years": f"{start}-{end}",
        "start_year": start, "end_year": end,
        "seeds": seeds,
        "seeds_text": (", ".join(str(s) for s in seeds) if len(seeds) <= 5
                       else f"{len(seeds)} seeds, {seeds[0]} to {seeds[-1]}"),
        "scenarios": scen,
        "baseline_name": baseline_name,
        "replicate": d.replicate if d.n_replicates() > 1 else {},
        "built_at": d.build_time(),
        "generated_at": report_time().strftime("%Y-%m-%d %H:%M UTC"),
        "folder": str(d.dir.resolve()),
    }
    return facts


def render(d: RunData, facts: dict) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(pathlib.Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True)
    env.filters["show"] = display
    sections = single_run_sections(d) + plan_design_section(d) + ensemble_sections(d)
    css = (pathlib.Path(__file__).parent / "templates" / "report.css").read_text()
    return env.get_template("report.html.j2").render(
        facts=facts, sections=sections, css=css, ensemble=d.is_ensemble)
