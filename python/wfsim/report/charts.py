"""The report's charts: matplotlib drawn to SVG and inlined in the page.

Every chart has a title, labelled axes with their units, and colours from
the Okabe-Ito palette, which readers with the common colour-vision
deficiencies can tell apart; lines also differ by marker and bars by
position, so a grey print still reads. Text is drawn as paths, so the page
looks the same with any fonts installed, and the SVG carries the title as
its accessible name. Each function takes a `Table` (formats.py) and
returns SVG text; nothing is read from disk or the network.
"""
from __future__ import annotations

import functools
import io
import itertools
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .formats import Table  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
           "#000000", "#F0E442"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

STYLE = {
    "svg.fonttype": "path",
    "svg.hashsalt": "wfsim-report",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "figure.dpi": 96,
    "axes.axisbelow": True,
}

_counter = itertools.count(1)


def styled(fn):
    """Runs a chart function with the report's matplotlib style."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with plt.rc_context(STYLE):
            return fn(*args, **kwargs)
    return wrapper


def _percent(decimals=0):
    return FuncFormatter(lambda v, _: f"{v * 100:.{decimals}f}%")


def money_scale(values):
    """(scale, suffix, unit) for money axes: millions, thousands or dollars,
    from the largest magnitude drawn, so small differences stay readable."""
    top = max((abs(v) for v in values if v is not None), default=0)
    if top >= 1e6:
        return 1e6, "M", "USD millions"
    if top >= 1e4:
        return 1e3, "k", "USD thousands"
    return 1, "", "USD"


def _dollars(scale, suffix, decimals=None):
    if decimals is None:
        decimals = 1 if scale > 1 else 0

    def fmt(v, _):
        sign = "-" if v < 0 else ""
        return f"{sign}${abs(v) / scale:,.{decimals}f}{suffix}"
    return FuncFormatter(fmt)




def _new(ncols=1, width=7.6, height=3.3, sharey=False):
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), sharey=sharey, squeeze=False)
    return fig, list(axes[0])


def _years_axis(ax, years):
    ax.set_xticks(list(years))
    ax.set_xticklabels([str(int(y)) for y in years])
    ax.set_xlabel("Simulation year")


def to_svg(fig, title: str) -> str:
    """The figure as inline SVG: no XML prolog or DOCTYPE, no metadata,
    ids prefixed so that several charts can share one page, and the chart's
    title as its accessible name."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None,
                                             "Format": None, "Type": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    prefix = f"c{next(_counter)}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    # Fixed size in the file; the page's CSS scales it to the column.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)
    return svg


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _values(table: Table, name):
    return [0.0 if v is None else v for v in table.column(name)]


@styled
def headcount_flow(t: Table) -> str:
    fig, (ax,) = _new()
    years = t.column("simulation_year")
    series = [("start_headcount", "Start of year"), ("hires", "Hires"),
              ("terminations", "Terminations"), ("end_headcount", "Year end")]
    width = 0.8 / len(series)
    for i, (col, label) in enumerate(series):
        xs = [y - 0.4 + width * (i + 0.5) for y in years]
        ax.bar(xs, _values(t, col), width * 0.95, label=label, color=PALETTE[i])
    end_x = [y - 0.4 + width * (len(series) - 0.5) for y in years]
    ax.plot(end_x, _values(t, "target"), linestyle="none", marker="_", markersize=16,
            markeredgewidth=2.5, color="#000000", label="Year-end target")
    _years_axis(ax, years)
    ax.set_ylabel("Employees")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(t.title)
    ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    return to_svg(fig, t.title)


def lines(t: Table, series, ylabel, title=None, ax=None, fig=None, decimals=0) -> str | None:
    """Rate lines by year (every series a fraction, shown as percent)."""
    own = ax is None
    if own:
        fig, (ax,) = _new()
    years = t.column("simulation_year")
    for i, (col, label) in enumerate(series):
        ax.plot(years, t.column(col), marker=MARKERS[i], color=PALETTE[i], label=label)
    _years_axis(ax, years)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(_percent(decimals))
    top = max((v for col, _ in series for v in t.column(col) if v is not None), default=0)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_title(title or t.title)
    ax.legend(loc="lower right" if own else "best")
    if own:
        fig.tight_layout()
        return to_svg(fig, t.title)
    return None


@styled
def turnover(t: Table) -> str:
    return lines(t, [("turnover_rate", "All terminations / start headcount"),
                     ("experienced_turnover_rate", "Experienced terminations and retirements / start"),
                     ("new_hire_termination_rate", "New-hire terminations / hires")],
                 "Rate (% per year)")


@styled
def mix(t: Table) -> str:
    fig, (ax,) = _new(height=0.45 * len(t.rows) + 1.4)
    cats = t.column("category")
    ys = list(range(len(cats)))
    ax.barh([y - 0.2 for y in ys], _values(t, "start_share"), 0.38, color=PALETTE[0],
            label="Start (census)")
    ax.barh([y + 0.2 for y in ys], _values(t, "end_share"), 0.38, color=PALETTE[1],
            label="End (last year-end)")
    ax.set_yticks(ys)
    ax.set_yticklabels(cats)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(_percent())
    ax.set_xlabel("Share of headcount (%)")
    ax.set_ylabel(t.columns[0].label)
    ax.set_title(t.title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return to_svg(fig, t.title)


@styled
def pay(t: Table) -> str:
    fig, (left, right) = _new(ncols=2)
    years = t.column("simulation_year")
    left.plot(years, t.column("average_salary"), marker="o", color=PALETTE[0])
    _years_axis(left, years)
    left.set_ylabel("Average salary (USD thousands)")
    left.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v / 1000:,.1f}k"))
    left.set_title("Average salary at year end")
    growth = t.column("average_salary_growth")
    right.bar([y for y, g in zip(years, growth) if g is not None],
              [g for g in growth if g is not None], 0.6, color=PALETTE[1])
    _years_axis(right, years)
    right.set_xlim(min(years) - 0.5, max(years) + 0.5)
    right.set_ylabel("Growth on the year before (%)")
    right.yaxis.set_major_formatter(_percent(1))
    right.set_title("Average salary growth")
    fig.suptitle(t.title, fontweight="bold", fontsize=12)
    fig.tight_layout()
    return to_svg(fig, t.title)


@styled
def participation(t: Table) -> str:
    fig, (left, right) = _new(ncols=2)
    lines(t, [("participation_rate", "Participating / eligible")], "Participation (% of eligible)",
          "Participation rate", ax=left, fig=fig)
    lines(t, [("average_deferral_rate", "Mean deferral of participants")],
          "Deferral rate (% of pay)", "Average deferral rate", ax=right, fig=fig, decimals=1)
    for ax in (left, right):
        ax.get_legend().remove()
    left.set_ylim(0, 1)
    fig.suptitle(t.title, fontweight="bold", fontsize=12)
    fig.tight_layout()
    return to_svg(fig, t.title)


@styled
def contributions(t: Table) -> str:
    fig, (ax,) = _new()
    years = t.column("simulation_year")
    bottom = [0.0] * len(years)
    for i, (col, label) in enumerate([("employee_contributions", "Employee contributions"),
                                      ("employer_match", "Employer match"),
                                      ("employer_core", "Employer core")]):
        vals = _values(t, col)
        ax.bar(years, vals, 0.6, bottom=bottom, color=PALETTE[i], label=label,
               hatch=["", "//", ".."][i], edgecolor="white", linewidth=0.5)
        bottom = [b + v for b, v in zip(bottom, vals)]
    _years_axis(ax, years)
    ax.set_ylim(0, max(bottom, default=0) * 1.12 or 1)
    scale, suffix, unit = money_scale(bottom)
    ax.set_ylabel(f"{unit} per year")
    ax.yaxis.set_major_formatter(_dollars(scale, suffix))
    ax.set_title(t.title)
    ax.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    return to_svg(fig, t.title)


def _panels(t: Table):
    """[(scenario or None, table)]: one panel per scenario when the table
    has a scenario column (an ensemble), else one."""
    if "scenario" in [c.name for c in t.columns]:
        return _by_scenario(t)
    return [(None, t)]


@styled
def plan_cost(t: Table) -> str:
    """Per scenario: match and core stacked by year, the net employer cost
    (after the forfeitures applied) as a line."""
    panels = _panels(t)
    fig, axes = _new(ncols=len(panels), width=max(7.6, 3.2 * len(panels)), sharey=True)
    scale, suffix, unit = money_scale(_values(t, "employer_cost"))
    for ax, (name, p) in zip(axes, panels):
        years = p.column("simulation_year")
        bottom = [0.0] * len(years)
        for i, (col, label) in enumerate([("employer_match", "Employer match"),
                                          ("employer_core", "Employer core")]):
            vals = _values(p, col)
            ax.bar(years, vals, 0.6, bottom=bottom, color=PALETTE[i + 1], label=label,
                   hatch=["//", ".."][i], edgecolor="white", linewidth=0.5)
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax.plot(years, _values(p, "net_employer_cost"), marker="o", color="#000000",
                label="Net employer cost")
        _years_axis(ax, years)
        ax.set_ylim(0, max(bottom, default=0) * 1.15 or 1)
        ax.yaxis.set_major_formatter(_dollars(scale, suffix))
        ax.set_title(name or t.title)
    axes[0].set_ylabel(f"{unit} per year")
    axes[0].legend(ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    if len(panels) > 1:
        fig.suptitle(t.title, fontweight="bold", fontsize=12)
    fig.tight_layout()
    return to_svg(fig, t.title)


@styled
def nondiscrimination(t: Table) -> str:
    """Per test: the HCE average against the limit by year, one line style
    per scenario (exempt rows are drawn too: their figures are computed)."""
    fig, axes = _new(ncols=2, sharey=True)
    groups = _panels(t)
    top = max((v for c in ("hce_average", "limit_value") for v in t.column(c) if v is not None),
              default=0)
    for ax, test in zip(axes, ("ADP", "ACP")):
        for i, (name, p) in enumerate(groups):
            rows = [r for r in p.rows if r[[c.name for c in p.columns].index("test")] == test]
            sub = Table(p.title, p.source, p.columns, rows)
            years = sub.column("simulation_year")
            prefix = f"{name}: " if name else ""
            ax.plot(years, _values(sub, "hce_average"), marker=MARKERS[i % len(MARKERS)],
                    color=PALETTE[i % len(PALETTE)], label=f"{prefix}HCE average")
            ax.plot(years, _values(sub, "limit_value"), linestyle="--",
                    color=PALETTE[i % len(PALETTE)], label=f"{prefix}limit")
            if years:
                _years_axis(ax, years)
        ax.yaxis.set_major_formatter(_percent(1))
        ax.set_ylim(0, top * 1.2 if top > 0 else 1)
        ax.set_title(f"{test} test")
    axes[0].set_ylabel("Share of plan pay (%)")
    axes[0].legend(fontsize=8, loc="lower left")
    fig.suptitle(t.title, fontweight="bold", fontsize=12)
    fig.tight_layout()
    return to_svg(fig, t.title)


def _by_scenario(t: Table, key="scenario"):
    order, groups = [], {}
    for row in t.rows:
        s = row[[c.name for c in t.columns].index(key)]
        if s not in groups:
            order.append(s)
            groups[s] = []
        groups[s].append(row)
    return [(s, Table(t.title, t.source, t.columns, groups[s])) for s in order]


@styled
def fan(t: Table, metric_label: str, rate_unit: str, key="scenario", zero_line=False) -> str:
    """One panel per scenario: the median line, the P25-P75 band and the
    P10-P90 band over the seeds, by year (zero_line: a line at 0, for
    differences). Money axes pick their scale from the values."""
    groups = _by_scenario(t, key)
    kind = t.columns[[c.name for c in t.columns].index("p50")].kind
    if kind == "rate":
        formatter, unit = _percent(1), rate_unit
    else:
        scale, suffix, unit = money_scale(t.column("p10") + t.column("p90"))
        formatter = _dollars(scale, suffix)
    fig, axes = _new(ncols=len(groups), width=max(7.6, 2.6 * len(groups)), sharey=True)
    for i, (scen, g) in enumerate(groups):
        ax = axes[i]
        years = g.column("simulation_year")
        ax.fill_between(years, g.column("p10"), g.column("p90"), color=PALETTE[0], alpha=0.18,
                        linewidth=0, label="P10-P90")
        ax.fill_between(years, g.column("p25"), g.column("p75"), color=PALETTE[0], alpha=0.4,
                        linewidth=0, label="P25-P75")
        ax.plot(years, g.column("p50"), marker="o", color=PALETTE[0], label="Median")
        if zero_line:
            ax.axhline(0, color="#000000", linewidth=0.8)
        _years_axis(ax, years)
        ax.yaxis.set_major_formatter(formatter)
        ax.set_title(str(scen), fontsize=10)
        if i == 0:
            ax.set_ylabel(f"{metric_label} ({unit})")
    axes[-1].legend(loc="best")
    fig.suptitle(t.title, fontweight="bold", fontsize=12)
    fig.tight_layout()
    return to_svg(fig, t.title)


METRIC_LABELS = {
    "headcount_end": "Year-end headcount", "hires": "Hires", "terminations": "Terminations",
    "avg_salary": "Average salary", "participation_rate": "Participation rate",
    "avg_deferral_rate": "Average deferral rate",
    "employee_contributions": "Employee contributions", "employer_match": "Employer match",
    "employer_core": "Employer core", "employer_cost": "Employer cost",
}
RATE_METRICS = ("participation_rate", "avg_deferral_rate")
LINESTYLES = ["-", "--", ":", "-."]


@styled
def thresholds(t: Table) -> str:
    """One panel per metric and threshold; a line per scenario (styles and
    markers differ, so equal lines stay visible on top of each other)."""
    names = [c.name for c in t.columns]
    col = {n: names.index(n) for n in names}
    prob = next(c.name for c in t.columns if c.kind == "rate")
    scen_cols = [n for n in ("scenario_id", "plan_design_id") if n in col
                 and (n == "scenario_id" or len({r[col[n]] for r in t.rows}) > 1)]
    panels = {}
    for row in t.rows:
        panel = (row[col["metric"]], row[col["threshold"]]) if "metric" in col else ("", None)
        scen = " / ".join(str(row[col[n]]) for n in scen_cols)
        panels.setdefault(panel, {}).setdefault(scen, []).append(
            (row[col["simulation_year"]], row[col[prob]]))
    years = sorted({r[col["simulation_year"]] for r in t.rows})
    fig, axes = _new(ncols=len(panels), width=max(7.6, 3.4 * len(panels)), sharey=True)
    for ax, ((metric, threshold), lines_) in zip(axes, panels.items()):
        for i, (scen, pts) in enumerate(lines_.items()):
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], color=PALETTE[i % len(PALETTE)],
                    marker=MARKERS[i % len(MARKERS)], markersize=9 - 2 * (i % 3),
                    linestyle=LINESTYLES[i % len(LINESTYLES)], label=scen)
        _years_axis(ax, years)
        ax.set_ylim(-0.03, 1.03)
        ax.yaxis.set_major_formatter(_percent())
        if threshold is None:
            shown = ""
        elif metric in RATE_METRICS:
            shown = f"{threshold * 100:.2f}%"
        elif metric in ("headcount_end", "hires", "terminations"):
            shown = f"{threshold:,.0f}"
        else:
            shown = f"${threshold:,.0f}"
        ax.set_title(f"{METRIC_LABELS.get(metric, metric)} > {shown}", fontsize=10)
    axes[0].set_ylabel("Probability (% of seeds)")
    axes[-1].legend(loc="best", title="Scenario")
    fig.suptitle(t.title, fontweight="bold", fontsize=12)
    fig.tight_layout()
    return to_svg(fig, t.title)
