"""What the report reads: DIR/wfsim.duckdb (dbt's marts), and beside it the
engine's generation_summary.json, run_summary.json and the dbt build's
run_results.json for what was run.

The database is opened read-only. Every table the page or the workbook
shows is one query here, against the marts named in its `source`, so a test
can check the numbers against the marts with queries of its own.

A single `wfsim run` folder has the metrics_* models keyed by year. An
ensemble folder (or a run once the models carry the replicate keys) has
`scenario_id`, `plan_design_id` and `random_seed` columns too; then the
single-run sections show one replicate, the baseline scenario's first seed,
and say so, while the ensemble sections read fct_metric_distributions,
fct_scenario_differences and fct_threshold_probabilities when they exist.
"""
from __future__ import annotations

import csv
import json
import pathlib

import duckdb

from .formats import Column, Table, plain

KEYS = ("scenario_id", "plan_design_id", "random_seed")
ENSEMBLE_MARTS = ("fct_metric_distributions", "fct_scenario_differences",
                  "fct_threshold_probabilities", "fct_replicate_metrics")
REQUIRED = ("metrics_workforce_by_year", "metrics_compensation_by_year",
            "metrics_plan_by_year", "metrics_headcount_by_level",
            "fct_workforce_snapshot", "fct_yearly_events")
# The metrics the fan charts and the paired differences draw.
FAN_METRICS = (("participation_rate", "Participation", "rate"),
               ("employer_cost", "Employer cost", "money0"))


class ReportInputError(Exception):
    """The folder is not a run or ensemble folder the report can read."""


def _read_json(path: pathlib.Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _flatten(config: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in (config or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def config_differences(config: dict, baseline: dict) -> list[tuple]:
    """(key, value, baseline value) for every key whose value differs, in
    key order; the simulation section's ids and seed are left out (they
    are shown on their own)."""
    a, b = _flatten(config), _flatten(baseline)
    skip = {"simulation.scenario_id", "simulation.plan_design_id",
            "simulation.random_seed"}
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
            if k not in skip and a.get(k) != b.get(k)]


def count_csv_rows(path: pathlib.Path):
    """Data rows of a CSV file (quoted newlines allowed), or None."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return max(sum(1 for row in csv.reader(f) if row) - 1, 0)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


class RunData:
    """One run or ensemble folder, opened for reading."""

    def __init__(self, folder, defaults: dict | None = None):
        self.dir = pathlib.Path(folder)
        db = self.dir / "wfsim.duckdb"
        if not db.is_file():
            raise ReportInputError(f"{db}: no such file (is {self.dir} a `wfsim run` "
                                   "or `wfsim ensemble` folder?)")
        try:
            self.con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error as e:
            raise ReportInputError(f"{db}: cannot open the database: {e}") from e
        self._columns = {}
        self.tables = {r[0] for r in self.con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main'").fetchall()}
        missing = [t for t in REQUIRED if t not in self.tables]
        if missing:
            raise ReportInputError(f"{db}: the dbt build did not finish: "
                                   f"missing {', '.join(missing)}")
        self.defaults = defaults
        self.replicate = self._choose_replicate()

    # -- plumbing ---------------------------------------------------------

    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            self._columns[table] = [r[0] for r in self.con.execute(f"describe {table}").fetchall()]
        return self._columns[table]

    def query(self, sql: str, params=None) -> tuple[list[str], list[tuple]]:
        rel = self.con.execute(sql, params or [])
        names = [d[0] for d in rel.description]
        return names, [tuple(plain(v) for v in row) for row in rel.fetchall()]

    def table(self, title, source, columns: list[Column], sql, params=None) -> Table:
        names, rows = self.query(sql, params)
        assert names == [c.name for c in columns], (names, columns)
        return Table(title, source, columns, rows)

    def where(self, table: str, *extra: str) -> str:
        """The WHERE clause that picks the shown replicate out of `table`,
        with any extra conditions."""
        cols = set(self.columns(table))
        conds = [f"{k} = {self._literal(v)}" for k, v in self.replicate.items() if k in cols]
        conds += extra
        return ("where " + " and ".join(conds)) if conds else ""

    @staticmethod
    def _literal(v) -> str:
        return str(int(v)) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"

    # -- which replicate the single-run sections show ---------------------

    @property
    def is_ensemble(self) -> bool:
        """More than one replicate (scenario or seed): a single run, even
        with the ensemble marts built, is not drawn as an ensemble."""
        return self.n_replicates() > 1

    def _choose_replicate(self) -> dict:
        cols = set(self.columns("metrics_workforce_by_year"))
        keys = [k for k in KEYS if k in cols]
        if not keys:
            return {}
        baseline = self.baseline_scenario()
        sql = f"select {', '.join(keys)} from metrics_workforce_by_year"
        if baseline is not None and "scenario_id" in keys:
            sql += f" where scenario_id = {self._literal(baseline)}"
        row = self.con.execute(sql + f" order by {', '.join(keys)} limit 1").fetchone()
        return dict(zip(keys, row)) if row else {}

    def baseline_scenario(self):
        """The ensemble's baseline (its summary, else the replicates' flag),
        else the first scenario."""
        es = self.ensemble_summary()
        if es.get("baseline_scenario_id"):
            return es["baseline_scenario_id"]
        if "int_replicates" in self.tables and "is_baseline" in self.columns("int_replicates"):
            row = self.con.execute("select min(scenario_id) from int_replicates "
                                   "where is_baseline").fetchone()
            if row and row[0] is not None:
                return row[0]
        scen = self.scenarios()
        return scen[0]["scenario_id"] if scen else None

    def n_replicates(self) -> int:
        cols = [k for k in KEYS if k in self.columns("metrics_workforce_by_year")]
        if not cols:
            return 1
        return self.con.execute(f"select count(*) from (select distinct {', '.join(cols)} "
                                "from metrics_workforce_by_year)").fetchone()[0]

    # -- what was run ------------------------------------------------------

    def ensemble_summary(self) -> dict:
        """`wfsim ensemble`'s events/ensemble_summary.json, or {}."""
        doc = _read_json(self.dir / "events" / "ensemble_summary.json")
        return doc if isinstance(doc, dict) else {}

    def summaries(self) -> list[dict]:
        """The engine's summaries: an ensemble's one ensemble_summary.json,
        else the run's generation_summary.json (none in SQL mode)."""
        es = self.ensemble_summary()
        if es:
            return [es]
        found = sorted((self.dir / "events").glob("**/generation_summary.json"))
        return [d for d in (_read_json(p) for p in found) if isinstance(d, dict)]

    def build_vars(self) -> dict:
        rr = _read_json(self.dir / "dbt_target" / "run_results.json") or {}
        return (rr.get("args") or {}).get("vars") or {}

    def build_time(self):
        rr = _read_json(self.dir / "dbt_target" / "run_results.json") or {}
        return (rr.get("metadata") or {}).get("generated_at")

    def scenarios(self) -> list[dict]:
        """One entry per scenario: id, plan design, digest, configuration."""
        seen, out = set(), []
        listed = self.ensemble_summary().get("scenarios") or self.summaries()
        for s in listed:
            key = (s.get("scenario_id"), s.get("plan_design_id"))
            if key in seen:
                continue
            seen.add(key)
            out.append({"scenario_id": key[0], "plan_design_id": key[1],
                        "config_digest": s.get("config_digest"),
                        "config": s.get("config") or {}})
        if not out and isinstance(self.build_vars().get("wfsim_scenarios"), list):
            for cfg in self.build_vars()["wfsim_scenarios"]:
                sim = (cfg or {}).get("simulation", {})
                out.append({"scenario_id": sim.get("scenario_id"),
                            "plan_design_id": sim.get("plan_design_id"),
                            "config_digest": None, "config": cfg or {}})
        if not out:
            cfg = self.build_vars().get("wfsim_config")
            if isinstance(cfg, str):
                try:
                    cfg = json.loads(cfg)
                except ValueError:
                    cfg = None
            sim = (cfg or {}).get("simulation", {})
            out.append({"scenario_id": sim.get("scenario_id"),
                        "plan_design_id": sim.get("plan_design_id"),
                        "config_digest": None, "config": cfg or {}})
        return out

    def seeds(self) -> list[int]:
        if "random_seed" in self.columns("metrics_workforce_by_year"):
            return [r[0] for r in self.con.execute(
                "select distinct random_seed from metrics_workforce_by_year "
                "order by 1").fetchall()]
        seeds = sorted({s.get("random_seed") for s in self.summaries()
                        if s.get("random_seed") is not None})
        if not seeds:
            sim = (self.scenarios()[0]["config"] or {}).get("simulation", {})
            seeds = [sim["random_seed"]] if "random_seed" in sim else []
        return seeds

    def years(self) -> tuple[int, int]:
        return self.con.execute("select min(simulation_year), max(simulation_year) "
                                "from metrics_workforce_by_year").fetchone()

    def census(self) -> dict:
        """The census file and its rows: read, accepted (loaded by the
        engine as active employees), rejected as invalid (skip mode, listed
        in rejects_file), and not active (terminated rows, left out). The
        engine's summary says each when it records it; otherwise rows are
        counted in the file and nothing was rejected (strict mode refuses
        a census with any bad row)."""
        summaries = self.summaries()
        first = summaries[0] if summaries else {}
        path = first.get("census_path") or self.build_vars().get("census_path")
        read = first.get("census_rows_read")
        if read is None and path and str(path).lower().endswith(".csv"):
            read = count_csv_rows(pathlib.Path(path))
        accepted = first.get("census_employees")
        if accepted is None:
            accepted = self.con.execute(
                "select count(*) from fct_workforce_snapshot "
                + self.where("fct_workforce_snapshot", "employee_origin = 'census'",
                             "simulation_year = (select min(simulation_year) "
                             "from fct_workforce_snapshot)")).fetchone()[0]
        rejected = first.get("rejected_rows") or 0
        other = first.get("census_rows_skipped")
        if other is None and read is not None and accepted is not None:
            other = read - accepted - rejected
        rejects = self.dir / "events" / "rejected_rows.csv"
        return {"path": path, "rows_read": read, "accepted": accepted,
                "rejected": rejected, "not_active": other,
                "rejects_file": str(rejects) if rejected and rejects.is_file() else None}

    def run_summary(self) -> dict:
        return _read_json(self.dir / "run_summary.json") or {}
