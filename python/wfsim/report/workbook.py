"""report.xlsx: the numbers behind the page, as a workbook (XlsxWriter).

Sheets: Summary (metrics_summary), By year (every metrics_* column by
year), By level, Workforce mix, Distributions, Scenario differences and
Threshold probabilities (ensembles only), Events by type, Metadata. The
header row of each sheet holds the marts' column names (docs/dbt.md defines
them) and is frozen; numbers are stored as numbers, with a number format
from the column's kind: rates as fractions with a percent format, money
with a currency format, counts as whole numbers. In the Distributions and
Scenario differences sheets the statistics take the kind of the row's
metric.
"""
from __future__ import annotations

import json

import xlsxwriter

from . import tables
from .formats import KINDS
from .page import report_time
from .source import RunData

_RATE_NAMES = ("participation", "avg_deferral", "turnover", "salary_growth", "share",
               "hce_average", "nhce_average", "limit_value", "margin")
_MONEY_PARTS = ("contribution", "contrib", "match", "core", "cost", "salary", "payroll",
                "compensation", "forfeit")
_STATS = ("mean", "sd", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "mean_diff",
          "sd_paired", "sd_unpaired", "median", "median_difference")


def kind_of(name: str, sample=None) -> str:
    """The number kind of a column, from its name (then its values)."""
    n = name.lower()
    if n in ("simulation_year", "year") or n.endswith("_year"):
        return "year"
    if (n.endswith("_rate") or n.endswith("_growth") or n.startswith("prob")
            or n.endswith("probability") or n in _RATE_NAMES):
        return "rate"
    if n.endswith("_headcount") or n.endswith("_hc") or n.startswith("n_"):
        return "int"
    if any(p in n for p in _MONEY_PARTS):
        return "money"
    if isinstance(sample, bool) or isinstance(sample, str):
        return "text"
    if isinstance(sample, int):
        return "int"
    if isinstance(sample, float):
        return "number"
    return "text"


class Book:
    def __init__(self, path: str):
        self.wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False,
                                             "nan_inf_to_errors": True})
        created = report_time().replace(tzinfo=None)
        self.wb.set_properties({"title": "wfsim report", "created": created})
        self.fmt = {k: self.wb.add_format({"num_format": f}) for k, (f, _) in KINDS.items()}
        self.head = self.wb.add_format({"bold": True, "bg_color": "#E8ECF0", "bottom": 2,
                                        "text_wrap": True, "valign": "top"})

    def sheet(self, title: str, names: list[str], rows: list[tuple], row_kind=None):
        """One sheet: a frozen header row of names, then rows. row_kind(row)
        may give the kind of the statistics columns of that row."""
        ws = self.wb.add_worksheet(title)
        samples = [next((r[i] for r in rows if r[i] is not None), None)
                   for i in range(len(names))]
        kinds = [kind_of(n, s) for n, s in zip(names, samples)]
        widths = [max(len(n), 8) for n in names]
        for c, n in enumerate(names):
            ws.write_string(0, c, n, self.head)
        for r, row in enumerate(rows, start=1):
            override = row_kind(row) if row_kind else None
            for c, v in enumerate(row):
                kind = override if override and names[c] in _STATS else kinds[c]
                self._cell(ws, r, c, v, kind)
                widths[c] = max(widths[c], min(len(_shown(v, kind)), 60))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w + 2)
        ws.freeze_panes(1, 0)
        if rows:
            ws.autofilter(0, 0, len(rows), len(names) - 1)
        return ws

    def _cell(self, ws, r, c, v, kind):
        if v is None:
            ws.write_blank(r, c, None, self.fmt["text"] if kind == "text" else self.fmt[kind])
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, (int, float)):
            if kind == "text":  # a number in a column of mixed values
                kind = "year" if isinstance(v, int) else "number"
            ws.write_number(r, c, v, self.fmt[kind])
        else:
            ws.write_string(r, c, str(v))

    def close(self):
        self.wb.close()


def _shown(v, kind) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and kind in ("money", "money0"):
        return f"${v:,.2f}"
    if isinstance(v, float) and kind == "rate":
        return f"{v * 100:.2f}%"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def _metric_kind(names):
    i = names.index("metric")

    def kind(row):
        k = kind_of(str(row[i]))
        return k if k in ("rate", "money") else "number"
    return kind


def metadata_rows(facts: dict, d: RunData) -> list[tuple]:
    c = facts["census"]
    rows = [
        ("wfsim", facts["report_version"] or facts["engine_version"]),
        ("engine that made the events", facts["engine_version"]),
        ("model version", facts["model_version"]),
        ("event generation mode", facts["mode"]),
        ("census file", c["path"]),
        ("census rows read", c["rows_read"]),
        ("census rows accepted", c["accepted"]),
        ("census rows rejected", c["rejected"]),
        ("census rows not active", c["not_active"]),
        ("first year", facts["start_year"]),
        ("last year", facts["end_year"]),
        ("random seeds", facts["seeds_text"]),
        ("number of seeds", len(facts["seeds"])),
        ("database built", facts["built_at"]),
        ("report made", facts["generated_at"]),
        ("run folder", facts["folder"]),
    ]
    for k, v in facts["replicate"].items():
        rows.append((f"single-run sections show {k}", v))
    for s in facts["scenarios"]:
        sid = s["scenario_id"]
        rows.append((f"scenario {sid}: plan design", s["plan_design_id"]))
        rows.append((f"scenario {sid}: configuration digest", s["config_digest"]))
        for k, v, b in s["differences"]:
            rows.append((f"scenario {sid}: {k} (differs; baseline {b})", _text(v)))
        rows.append((f"scenario {sid}: configuration", json.dumps(s["config"], sort_keys=True)))
    return rows


def _text(v):
    return v if isinstance(v, (int, float, str)) or v is None else json.dumps(v)


def write(path: str, d: RunData, facts: dict):
    book = Book(path)
    try:
        if d.is_ensemble and "fct_metric_distributions" in d.tables:
            names, rows = tables.ensemble_summary(d)
            book.sheet("Summary", names, rows, _metric_kind(names))
        else:
            names, rows = d.query("select * from metrics_summary order by all") \
                if "metrics_summary" in d.tables else ([], [])
            book.sheet("Summary", names, rows)
        book.sheet("By year", *tables.by_year(d))
        book.sheet("By level", *tables.by_level(d))
        if "fct_ndt_results" in d.tables and "net_employer_cost" in d.columns(
                "metrics_plan_by_year"):
            book.sheet("Plan cost", *tables.plan_cost_all(d))
            book.sheet("Nondiscrimination", *tables.ndt_all(d))
        mix_rows = []
        for dim in tables.MIX_DIMENSIONS:
            t = tables.mix(d, dim)
            mix_rows += [(dim,) + r for r in t.rows]
        book.sheet("Workforce mix", ["dimension", "category", "start_headcount", "start_share",
                                     "end_headcount", "end_share"], mix_rows)
        if "fct_metric_distributions" in d.tables and d.is_ensemble:
            names, rows = tables.distributions(d)
            book.sheet("Distributions", names, rows, _metric_kind(names))
        if "fct_scenario_differences" in d.tables and d.is_ensemble:
            names, rows = tables.scenario_differences(d)
            book.sheet("Scenario differences", names, rows, _metric_kind(names))
        if "fct_threshold_probabilities" in d.tables and d.is_ensemble:
            t = tables.thresholds(d)
            book.sheet("Threshold probabilities", [c.name for c in t.columns], t.rows)
        book.sheet("Events by type", *tables.events_by_type(d))
        book.sheet("Metadata", ["item", "value"], metadata_rows(facts, d))
    finally:
        book.close()
